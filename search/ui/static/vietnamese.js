// Gradio's own words (its login page, "Loading") in Vietnamese, whatever the browser's
// language: the login page is drawn before the app's translations are sent, so the words
// are replaced as they appear, until the app itself is on the page (its own words are
// Vietnamese already). Injected into the page's <head> by ui/server.py.
(() => {
  const words = {
    "Login": "Đăng nhập",
    "username": "Tên đăng nhập",
    "password": "Mật khẩu",
    "Incorrect Credentials": "Sai tên đăng nhập hoặc mật khẩu",
    "Loading": "Đang tải",
    "Loading...": "Đang tải...",
    "Error": "Lỗi",
    "Connection errored out.": "Mất kết nối tới máy chủ.",
  };
  const fix = (root) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.nodeValue.trim();
      if (words[text]) node.nodeValue = node.nodeValue.replace(text, words[text]);
    }
    root.querySelectorAll("input[placeholder]").forEach((el) => {
      const p = el.getAttribute("placeholder");
      if (words[p]) el.setAttribute("placeholder", words[p]);
    });
  };
  const start = () => {
    document.documentElement.lang = "vi";
    fix(document.body);
    const observer = new MutationObserver(() => {
      if (document.getElementById("tc-title")) observer.disconnect();
      else fix(document.body);
    });
    observer.observe(document.body, {childList: true, subtree: true, characterData: true});
  };
  if (document.body) start(); else document.addEventListener("DOMContentLoaded", start);
})();
