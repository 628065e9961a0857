#!/usr/bin/env bash
# Pre-fetch the serving weights into the shared volume.
set -euo pipefail
huggingface-cli download meta-llama/Llama-3.1-8B-Instruct --revision 0e9e39f249a16976918f6564b8830bc894c89659 --local-dir /models/llama
huggingface-cli download BAAI/bge-small-en-v1.5 --local-dir /models/bge
