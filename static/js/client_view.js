// "Vis klienten": Escape, like the back link, returns to the client page. When the client page
// opened this one, going back in history keeps its place on that page; otherwise the link is
// followed. No inline script: the Content-Security-Policy forbids it.
const back = document.querySelector("[data-back]");

function goBack(event) {
  const target = new URL(back.href, location.href);
  const from = document.referrer ? new URL(document.referrer) : null;
  if (from && from.origin === target.origin && from.pathname === target.pathname) {
    if (event) event.preventDefault();
    history.back();
  } else if (!event) {
    location.assign(target.href);
  }
}

back.addEventListener("click", goBack);
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") goBack(null);
});
