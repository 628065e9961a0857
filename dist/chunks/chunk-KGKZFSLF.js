#!/usr/bin/env node
import { createRequire as __lscgCreateRequire } from 'node:module'; const require = __lscgCreateRequire(import.meta.url);
