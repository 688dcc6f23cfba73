"""Uploading a file from the import page: the import (and the analysis of what it added) runs as a
job in its own process (the page shows its state), bad rows land in the quarantine with row,
field and reason, and a row fixed on the page is imported."""

from __future__ import annotations

import time

import httpx

from tests.web.conftest import Site

CSV = (
    "id,text,channel,nps\n"
    "u1,上菜很快，味道不错,app_review,9\n"
    "u2,等了一个小时,app_review,ten\n"
    "u3,Great dumplings,fax,8\n"
    "u4,服务员态度很好,store,10\n"
)


def wait_done(client: httpx.Client, location: str) -> str:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        page = client.get(location).text
        if 'data-state="done"' in page or 'data-state="failed"' in page:
            return page
        time.sleep(0.3)
    raise AssertionError(f"the import job did not finish: {page[-500:]}")


def test_an_uploaded_file_is_imported_as_a_job_and_its_bad_rows_fixed_on_the_page(sqlite_site: Site) -> None:
    client, csrf = sqlite_site.signed_in("analyst")
    forged = client.post("/import", files={"file": ("f.csv", CSV.encode())}, data={})
    assert forged.status_code == 403
    sent = client.post("/import", files={"file": ("../../etc/反馈.csv", CSV.encode())}, data={"csrf_token": csrf})
    assert sent.status_code == 303 and sent.headers["location"].startswith("/import/jobs/")
    page = wait_done(client, sent.headers["location"])
    assert 'data-read="4"' in page and 'data-imported="2"' in page and 'data-quarantined="2"' in page
    assert 'data-analysed="2"' in page  # the new records analysed under the stored journey, as part of the job
    assert 'data-row="3" data-field="nps"' in page and 'data-row="4" data-field="channel"' in page
    job = sqlite_site.store.list_jobs()[0]
    assert job.params["name"] == "反馈.csv" and "etc" not in job.params["path"].split("uploads")[1]
    entry = next(q for q in sqlite_site.store.list_quarantine() if q.field == "nps")
    fixed = client.post(f"/quarantine/{entry.id}/fix", data={"job": str(job.id), "value": "3", "csrf_token": csrf})
    assert fixed.status_code == 303 and fixed.headers["location"].endswith("fixed=imported")
    after = client.get(f"/import/jobs/{job.id}").text
    assert 'data-field="nps"' not in after and 'data-field="channel"' in after
    assert sqlite_site.store.count_feedback() == 3
    listing = client.get("/import").text
    assert "反馈.csv" in listing


def test_a_viewer_cannot_upload(sqlite_site: Site) -> None:
    client, csrf = sqlite_site.signed_in("viewer")
    refused = client.post("/import", files={"file": ("f.csv", CSV.encode())}, data={"csrf_token": csrf})
    assert refused.status_code == 403
