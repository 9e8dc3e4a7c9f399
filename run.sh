#!/usr/bin/env bash
# Install what the app needs (Python packages; the CJK font for Chinese PDFs and screenshots) and start it.
# First start builds the demo county database (data/onemap.duckdb) with a progress bar.
set -euo pipefail
cd "$(dirname "$0")"
if ! fc-list 2>/dev/null | grep -qi "WenQuanYi Micro Hei"; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends fonts-wqy-microhei
fi
python -m pip install -q -r requirements.txt
# serve.py runs app.py and, in the same process, the session-cookie routes (web/) a reload needs
exec python -m streamlit run serve.py "$@"
