#!/usr/bin/env python3
"""The web console through a real browser (headless Chromium driven by Selenium, Debian chromium-driver), for
Tests/TagResolverTests/ConsoleBrowserTests.swift. Every flow runs twice: with the mouse (clicks) and keyboard-only
(Tab until the control has focus, then type, Space or Enter), so a control that cannot be reached by keyboard fails.

  console_flow.py audit BASE NAME PASSWORD SHOTS_DIR PATH...   -> JSON {path: {title, violations, shot}}
      axe-core (selenium-axe-python) on every page; serious and critical violations are listed. With SHOTS_DIR
      (or "-" for none), a full-page screenshot of each page is written there, named after the path.
  console_flow.py flow NAME BASE USER PASSWORD MODE ARGS...     -> JSON, per flow (MODE: mouse or keyboard)

Exit status 2 with a message on stderr when selenium, axe or chromedriver is missing.
"""
import json
import os
import re
import sys
import time

try:
    import chromium
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium_axe_python import Axe
except ImportError as error:
    sys.stderr.write(f"{error} (pip install selenium selenium-axe-python)\n")
    sys.exit(2)


def browser(downloads=None):
    return chromium.start(downloads=downloads)


class User:
    """Mouse or keyboard: how controls are reached and pressed."""

    def __init__(self, driver, keyboard):
        self.driver = driver
        self.keyboard = keyboard

    def focus(self, selector):
        """Keyboard: Tab from the top of the page until `selector` has focus (at most 300 presses)."""
        target = self.driver.find_element(By.CSS_SELECTOR, selector)
        self.driver.execute_script("document.activeElement && document.activeElement.blur(); window.focus();")
        for _ in range(300):
            ActionChains(self.driver).send_keys(Keys.TAB).perform()
            if self.driver.switch_to.active_element == target:
                return target
        raise AssertionError(f"{selector} cannot be reached with Tab")

    def type(self, selector, text, clear=True):
        if self.keyboard:
            # WebDriver's clear() moves the focus away, so the keyboard user selects all and types over it.
            self.focus(selector)
            keys = ActionChains(self.driver)
            if clear:
                keys = keys.key_down(Keys.CONTROL).send_keys("a").key_up(Keys.CONTROL).send_keys(Keys.DELETE)
            keys.send_keys(text).perform()
        else:
            element = self.driver.find_element(By.CSS_SELECTOR, selector)
            if clear:
                element.clear()
            element.send_keys(text)

    def press(self, selector):
        """A button or link: Enter by keyboard; a checkbox or radio: Space by keyboard."""
        if not self.keyboard:
            self.driver.find_element(By.CSS_SELECTOR, selector).click()
            return
        target = self.driver.find_element(By.CSS_SELECTOR, selector)
        kind = (target.get_attribute("type") or "").lower()
        if kind == "radio":
            # Tab reaches a radio group once (its checked button); the arrow keys move within it.
            group = target.get_attribute("name")
            self.focus(f"input[type=radio][name='{group}']:checked")
            for _ in range(20):
                if target.is_selected():
                    return
                ActionChains(self.driver).send_keys(Keys.ARROW_DOWN).perform()
            raise AssertionError(f"{selector} cannot be chosen with the arrow keys")
        self.focus(selector)
        ActionChains(self.driver).send_keys(Keys.SPACE if kind == "checkbox" else Keys.ENTER).perform()

    def choose(self, selector, value):
        """A <select>: by keyboard, focus it and type the option's visible text."""
        element = self.focus(selector) if self.keyboard else self.driver.find_element(By.CSS_SELECTOR, selector)
        option = element.find_element(By.CSS_SELECTOR, f"option[value='{value}']")
        if self.keyboard:
            ActionChains(self.driver).send_keys(option.text).perform()
        else:
            option.click()


def log_in(driver, user, base, name, password):
    driver.get(f"{base}/admin/login")
    user.type("#name", name)
    user.type("#password", password)
    user.press("form button[type=submit]")
    wait_for(lambda: "/admin/login" not in driver.current_url, lambda: "login did not leave the login page: " + text(driver)[:300])


def wait_for(condition, message, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(message() if callable(message) else message)


def text(driver):
    """The page's main text; empty while the page is being replaced (a stale or missing element)."""
    try:
        return driver.find_element(By.TAG_NAME, "main").text
    except WebDriverException:
        return ""


def audit(base, name, password, shots, paths):
    driver = browser()
    results = {}
    try:
        for path in paths:
            # The login page is audited before logging in; every other page after.
            if path.startswith("/admin/login") or path.startswith("/admin/set-password"):
                driver.delete_all_cookies()
            elif not driver.get_cookies():
                log_in(driver, User(driver, False), base, name, password)
            driver.get(base + path)
            axe = Axe(driver)
            axe.inject()
            found = axe.run()
            bad = [{"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
                   for v in found["violations"] if v["impact"] in ("serious", "critical")]
            shot = None
            if shots != "-":
                # Named after the path; a report's random ID becomes "report", so the name is the same on every run.
                stem = re.sub(r"/r-[a-z2-7]{10}", "/report", path.strip("/").lower())
                shot = os.path.join(shots, re.sub(r"[^a-z0-9]+", "-", stem).strip("-") + ".png")
                height = driver.execute_script("return Math.max(document.body.scrollHeight, 600)")
                driver.set_window_size(1280, min(int(height) + 40, 4000))
                driver.save_screenshot(shot)
                driver.set_window_size(1280, 900)
            results[path] = {"title": driver.title, "violations": bad, "shot": shot}
        return results
    finally:
        driver.quit()


def flow_print(base, name, password, keyboard, downloads, tag_id):
    """Print one named tag on a sheet; returns the downloaded PDF's path."""
    driver = browser(downloads=downloads)
    user = User(driver, keyboard)
    try:
        log_in(driver, user, base, name, password)
        driver.get(f"{base}/admin/print")
        user.press("input[name=which][value=ids]")
        user.type("#ids", tag_id)
        user.choose("#template", "avery-l7160")
        user.press("form[action='/admin/print'] button[type=submit]")
        wait_for(lambda: any(f.endswith(".pdf") for f in os.listdir(downloads)), "no PDF downloaded")
        pdf = next(os.path.join(downloads, f) for f in os.listdir(downloads) if f.endswith(".pdf"))
        return {"pdf": pdf}
    finally:
        driver.quit()


def flow_login(base, name, password, keyboard):
    """Log in and come back to the dashboard; then log out."""
    driver = browser()
    user = User(driver, keyboard)
    try:
        log_in(driver, user, base, name, password)
        heading = driver.find_element(By.TAG_NAME, "h1").text
        cookies = {c["name"]: c for c in driver.get_cookies()}
        user.press("form[action='/admin/logout'] button")
        wait_for(lambda: "/admin/login" in driver.current_url, "logout did not lead to the login page")
        return {"heading": heading, "cookies": cookies}
    finally:
        driver.quit()


def flow_alert(base, name, password, keyboard, tag_id, headline, stop=None):
    """Publish a severe alert naming a tag (or, with `stop`, a GTFS stop such as carta/1565); returns the tag's
    public page text afterwards."""
    driver = browser()
    user = User(driver, keyboard)
    try:
        log_in(driver, user, base, name, password)
        driver.get(f"{base}/admin/alerts/new")
        user.choose("#f-severity", "severe")
        user.type("#f-headline_en", headline)
        user.type("#f-headline_fr", headline)
        user.type("#f-stops" if stop else "#f-tags", stop or tag_id)
        user.press("form[action='/admin/alerts'] button[type=submit]")
        wait_for(lambda: "/admin/alerts/new" not in driver.current_url and headline in text(driver),
                 lambda: "not published: " + text(driver)[:500])
        driver.get(f"{base}/t/{tag_id}?lang=en")
        return {"page": driver.find_element(By.TAG_NAME, "body").text}
    finally:
        driver.quit()


def flow_triage(base, name, password, keyboard, report_id, note):
    """Acknowledge a report with a public note; returns the report page's text afterwards."""
    driver = browser()
    user = User(driver, keyboard)
    try:
        log_in(driver, user, base, name, password)
        driver.get(f"{base}/admin/reports/{report_id}")
        user.choose("#f-status", "in_progress")
        user.type("#f-note", note)
        user.press(f"form[action='/admin/reports/{report_id}/status'] button[type=submit]")
        wait_for(lambda: note in text(driver), lambda: "the note did not appear: " + text(driver)[:500])
        return {"page": text(driver)}
    finally:
        driver.quit()


def flow_tag(base, name, password, keyboard, tag_name, first_url, second_url):
    """Create a redirect tag, then retarget it; returns its ID (read from the tag page's address)."""
    driver = browser()
    user = User(driver, keyboard)
    try:
        log_in(driver, user, base, name, password)
        driver.get(f"{base}/admin/tags/new")
        user.type("#f-name", tag_name)
        user.choose("#f-kind", "url")
        user.type("#f-url", first_url)
        user.press("form.tag-form button[type=submit]")
        wait_for(lambda: re.search(r"/admin/tags/[0-9A-Z]+$", driver.current_url.split("?")[0]),
                 lambda: "not created: " + text(driver)[:500])
        tag_id = driver.current_url.split("?")[0].rstrip("/").split("/")[-1]
        driver.get(f"{base}/admin/tags/{tag_id}/retarget")
        user.type("#f-url", second_url)
        user.press("form.tag-form button[type=submit]")
        wait_for(lambda: "/retarget" not in driver.current_url, lambda: "not retargeted: " + text(driver)[:500])
        return {"id": tag_id, "page": text(driver)}
    finally:
        driver.quit()


FLOWS = {"tag": flow_tag, "print": flow_print, "login": flow_login, "alert": flow_alert, "triage": flow_triage}


def main(argv):
    if len(argv) >= 5 and argv[0] == "audit":
        print(json.dumps(audit(argv[1], argv[2], argv[3], argv[4], argv[5:])))
        return 0
    if len(argv) >= 6 and argv[0] == "flow" and argv[1] in FLOWS:
        name, base, user, password, mode = argv[1:6]
        print(json.dumps(FLOWS[name](base, user, password, mode == "keyboard", *argv[6:])))
        return 0
    sys.stderr.write(__doc__)
    return 64


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
