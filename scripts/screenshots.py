"""Take Chromium screenshots of pages as a signed-in user, at phone, tablet and desktop sizes.

    .venv/bin/python scripts/screenshots.py --user hjelper /klienter/ /klienter/1/

Needs the app running (make run) and Debian's chromium. Writes PNGs to ./screenshots/.
"""

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

SIZES = {"phone": (390, 844), "tablet": (820, 1180), "desktop": (1366, 900)}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--user", default="")
    parser.add_argument("--password", default="demo")
    parser.add_argument("--sizes", default="phone,tablet,desktop")
    parser.add_argument("--out", default="screenshots")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        for size in args.sizes.split(","):
            width, height = SIZES[size]
            page = browser.new_page(viewport={"width": width, "height": height})
            if args.user:
                page.goto(f"{args.base}/logg-inn/")
                page.fill("input[name=username]", args.user)
                page.fill("input[name=password]", args.password)
                page.click("button[type=submit]")
            for path in args.paths:
                page.goto(args.base + path)
                name = path.strip("/").replace("/", "_").replace("?", "_") or "root"
                target = out / f"{name}-{size}.png"
                page.screenshot(path=str(target), full_page=True)
                print(target)
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
