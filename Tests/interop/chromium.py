"""Headless Chromium for the browser tests (Selenium with Debian's chromium-driver), shared by report_flow.py,
console_flow.py and console_map.py. Starting it is tried three times: chromedriver can give up waiting for the
browser on a loaded machine; the last error is raised."""
import shutil
import sys

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service


def start(width=1280, height=900, downloads=None, console_log=False):
    """A new session. `downloads`: a folder files are saved to without asking; `console_log`: keep the browser
    console's messages (driver.get_log("browser"))."""
    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", f"--window-size={width},{height}", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    if downloads:
        options.add_experimental_option("prefs", {"download.default_directory": downloads, "download.prompt_for_download": False})
    if console_log:
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    for attempt in range(3):
        try:
            driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
            driver.set_page_load_timeout(120)
            driver.set_script_timeout(120)
            if downloads:
                driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
            return driver
        except WebDriverException as error:
            sys.stderr.write(f"starting Chromium failed (attempt {attempt + 1}): {error}\n")
            if attempt == 2:
                raise
