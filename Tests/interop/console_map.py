#!/usr/bin/env python3
"""The console's maps with JavaScript on, in headless Chromium driven by Selenium (Debian chromium-driver), for
Tests/TagResolverTests/ConsoleCivicTests.swift: log in through the form, count the tag markers /admin/map draws,
then click three corners on the alert form's map and publish the alert.

  console_map.py BASE_URL NAME PASSWORD   -> JSON {live, markers, corners, polygon, saved, csp}

`csp` lists the browser console's Content-Security-Policy complaints (there should be none). Exit status 2 with a
message on stderr when selenium or chromedriver is missing.
"""
import json
import sys

try:
    import chromium
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError as error:
    sys.stderr.write(f"{error} (pip install selenium)\n")
    sys.exit(2)


def browser():
    """A headless Chromium session that keeps the browser console's messages."""
    return chromium.start(width=1200, height=1000, console_log=True)


def csp_complaints(driver):
    return [entry["message"] for entry in driver.get_log("browser") if "Content Security Policy" in entry["message"]]


def run(base, name, password):
    driver = browser()
    try:
        driver.get(f"{base}/admin/login?lang=en")
        driver.find_element(By.ID, "name").send_keys(name)
        driver.find_element(By.ID, "password").send_keys(password)
        driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        WebDriverWait(driver, 30).until(lambda d: "/admin/login" not in d.current_url)
        csp = csp_complaints(driver)

        driver.get(f"{base}/admin/map?lang=en")
        WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#map path.leaflet-interactive"))
        markers = len(driver.find_elements(By.CSS_SELECTOR, "#map path.leaflet-interactive"))
        live = driver.execute_script("return document.getElementById('map').classList.contains('live')")
        csp += csp_complaints(driver)

        driver.get(f"{base}/admin/alerts/new?lang=en")
        box = WebDriverWait(driver, 30).until(lambda d: d.find_element(By.CSS_SELECTOR, "#area-map.leaflet-container"))
        for dx, dy in ((-120, -80), (120, -80), (0, 90)):
            ActionChains(driver).move_to_element_with_offset(box, dx, dy).click().perform()
        polygon = driver.find_element(By.ID, "f-polygon").get_attribute("value")
        corners = len([line for line in polygon.splitlines() if line.strip()])
        driver.find_element(By.ID, "f-headline_en").send_keys("Drawn on the map")
        driver.find_element(By.CSS_SELECTOR, "form[action='/admin/alerts'] button[type=submit]").click()
        WebDriverWait(driver, 30).until(lambda d: "/admin/alerts?saved=" in d.current_url or d.find_elements(By.CSS_SELECTOR, "p.error"))
        saved = "/admin/alerts?saved=" in driver.current_url
        errors = [p.text for p in driver.find_elements(By.CSS_SELECTOR, "p.error")]
        csp += csp_complaints(driver)
        return {"live": live, "markers": markers, "corners": corners, "polygon": polygon, "saved": saved, "errors": errors, "csp": csp}
    finally:
        driver.quit()


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.stderr.write(__doc__)
        sys.exit(64)
    print(json.dumps(run(sys.argv[1], sys.argv[2], sys.argv[3])))
