#!/usr/bin/env python3
"""A citizen's report through a real browser (headless Chromium driven by Selenium, Debian chromium-driver),
for Tests/TagResolverTests/ReportBrowserTests.swift. No JavaScript of ours is involved: the browser fills and
submits the server-rendered form.

  report_flow.py submit BASE_URL TAG_ID PHOTO_PATH   -> JSON {title, receipt, follow_up}
  report_flow.py read FOLLOW_UP_URL                  -> JSON {title, text}

Exit status 2 with a message on stderr when selenium or chromedriver is missing.
"""
import json
import sys

try:
    import chromium
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError as error:
    sys.stderr.write(f"{error} (pip install selenium)\n")
    sys.exit(2)


def browser():
    """A phone-sized headless Chromium session."""
    return chromium.start(width=390, height=844)


def submit(base, tag, photo):
    driver = browser()
    try:
        driver.get(f"{base}/t/{tag}/report?lang=en")
        driver.find_element(By.CSS_SELECTOR, "input[name=category][value=litter]").click()
        driver.find_element(By.ID, "description").send_keys("The bin by the bench is overflowing")
        driver.find_element(By.ID, "photo").send_keys(photo)
        driver.find_element(By.ID, "email").send_keys("walker@example.org")
        form = driver.find_element(By.CSS_SELECTOR, "form[enctype]")
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        # The click returns before the receipt has replaced the form (slower on a busy machine): wait for the form's
        # page to go, then for the receipt's heading, before reading the new page's links. A bound, not a measure.
        WebDriverWait(driver, 120).until(expected_conditions.staleness_of(form))
        WebDriverWait(driver, 120).until(lambda d: d.find_elements(By.TAG_NAME, "h1"))
        links = [a.get_attribute("href") for a in driver.find_elements(By.TAG_NAME, "a")]
        follow = next((href for href in links if href and "/r/" in href), None)
        return {"title": driver.find_element(By.TAG_NAME, "h1").text, "receipt": driver.find_element(By.TAG_NAME, "main").text,
                "follow_up": follow}
    finally:
        driver.quit()


def read(url):
    driver = browser()
    try:
        driver.get(url)
        return {"title": driver.find_element(By.TAG_NAME, "h1").text, "text": driver.find_element(By.TAG_NAME, "main").text}
    finally:
        driver.quit()


def main():
    if len(sys.argv) >= 5 and sys.argv[1] == "submit":
        result = submit(sys.argv[2], sys.argv[3], sys.argv[4])
    elif len(sys.argv) >= 3 and sys.argv[1] == "read":
        result = read(sys.argv[2])
    else:
        sys.stderr.write(__doc__)
        sys.exit(64)
    json.dump(result, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
