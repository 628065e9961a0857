#!/usr/bin/env node
import { createRequire as __lscgCreateRequire } from 'node:module'; const require = __lscgCreateRequire(import.meta.url);
import"./chunk-KGKZFSLF.js";import"./chunk-HPNWPK7L.js";import{Readable as n}from"stream";import{createHash as m}from"crypto";async function*l(o,r){let t=m("sha256"),s=o instanceof Blob?o.size:o.byteLength,e=0,i=o instanceof Blob?n.fromWeb(o.stream()):n.from(Buffer.from(o));for await(let a of i)t.update(a),e+=a.length,yield e/s,r?.abortSignal?.throwIfAborted();return t.digest("hex")}export{l as sha256Node};
