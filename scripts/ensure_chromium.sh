#!/usr/bin/env bash
# The browser tests drive Debian's chromium package. Install it when missing and we can
# (root, as in CI); otherwise say how, and let `make test` skip the browser tests.
set -u
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Cài Chromium cho các bài kiểm thử giao diện (apt-get install chromium)..."
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null && exit 0
fi
echo "Bỏ qua các bài kiểm thử giao diện: chưa có Chromium. Cài bằng quyền root:" \
     "sudo apt-get install chromium (rồi chạy lại make test)." >&2
exit 1
