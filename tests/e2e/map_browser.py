"""Open a tension map in headless Chromium (Debian's chromium and chromium-driver) and read what it shows."""

from __future__ import annotations

from pathlib import Path

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--window-size=1280,900",
]


def open_map(html: Path, screenshot: Path) -> dict:
    """Each layer's feature count as Leaflet holds it, whether it is on the map, and the legend's counts."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    options = webdriver.ChromeOptions()
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.binary_location = "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        driver.get(html.resolve().as_uri())
        WebDriverWait(driver, 30).until(lambda d: d.execute_script("return !!(window.trqMap && window.L)"))
        layers = driver.execute_script(
            "return Object.fromEntries(Object.entries(window.trqMap.layers).map(([name, layer]) =>"
            " [name, {features: layer.getLayers().length, shown: window.trqMap.map.hasLayer(layer)}]))"
        )
        legend = {
            e.get_attribute("data-layer"): int(e.get_attribute("data-count"))
            for e in driver.find_elements(By.CSS_SELECTOR, "#trq-legend [data-layer]")
        }
        controls = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".leaflet-control-layers-overlays label")]
        drawn = len(driver.find_elements(By.CSS_SELECTOR, ".leaflet-overlay-pane path"))
        errors = [entry["message"] for entry in driver.get_log("browser") if entry.get("level") == "SEVERE"]
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(screenshot))
    finally:
        driver.quit()
    return {"layers": layers, "legend": legend, "controls": controls, "drawn": drawn, "errors": errors}
