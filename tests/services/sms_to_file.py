"""An SMS backend for the worker subprocess of the services tests: it writes each delivery to a
file, so the test can count them; an optional delay lets a test kill the worker mid-send."""

import os
import time


class FileSms:
    def send(self, *, phone: str, text: str, reference: str) -> None:
        path = os.environ["CHECHO_TEST_SMS_FILE"]
        with open(f"{path}.started", "a") as started:
            started.write(f"{reference}\n")
        time.sleep(float(os.environ.get("CHECHO_TEST_SMS_DELAY", "0")))
        with open(path, "a") as sent:
            sent.write(f"{reference}\n")
