#!/usr/bin/env bash
# Scanned PDFs are read by tesseract with its Vietnamese model (Debian's tesseract-ocr-vie).
# Install it when missing and we can (root, as in CI); otherwise say how: scans are then
# reported as unread, and `make test` skips the OCR tests.
set -u
if command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx vie; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Cài tesseract-ocr-vie để đọc bản scan (apt-get install tesseract-ocr-vie)..."
  apt-get update -qq && apt-get install -y -qq --no-install-recommends tesseract-ocr \
    tesseract-ocr-vie >/dev/null && exit 0
fi
echo "Bỏ qua các bài kiểm thử OCR: chưa có tesseract-ocr-vie. Cài bằng quyền root:" \
     "sudo apt-get install tesseract-ocr-vie (rồi chạy lại make test)." >&2
exit 1
