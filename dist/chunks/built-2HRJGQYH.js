#!/usr/bin/env node
import { createRequire as __lscgCreateRequire } from 'node:module'; const require = __lscgCreateRequire(import.meta.url);
import{a}from"./chunk-YAHGZ3P6.js";import"./chunk-HPNWPK7L.js";export default a();
