"""c.AtriumApp.disabled_features: a feature turned off has no REST API; the others work on."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from tornado.httpclient import HTTPClientError
from traitlets import TraitError

from jupyterlab_atrium.app import AtriumApp

BRAND = Path(__file__).resolve().parent.parent / "demo" / "brand" / "brand.json"

# One URL of each feature (verb, path parts, body) and what it answers while it is on.
PROBES = {
    "gallery": [
        ("GET", ("atrium", "api", "service", "gallery", "notebooks"), None),
        ("POST", ("atrium", "api", "service", "gallery", "notebooks"), {}),
        ("GET", ("atrium", "api", "service", "gallery", "policy"), None),
    ],
    "netdrive": [
        ("GET", ("atrium", "api", "netdrive", "drives"), None),
        ("GET", ("atrium", "api", "netdrive", "policy"), None),
        ("DELETE", ("atrium", "api", "netdrive", "drives", "x"), None),
    ],
    "branding": [("GET", ("atrium", "branding", "assets", "logo-light.svg"), None)],
    "grader": [
        ("GET", ("atrium", "api", "service", "grading", "policy"), None),
        ("POST", ("atrium", "api", "service", "grading", "assignments"), {}),
    ],
}
WORKING = {
    "gallery": ("GET", ("atrium", "api", "service", "gallery", "notebooks"), None),
    "netdrive": ("GET", ("atrium", "api", "netdrive", "drives"), None),
    "branding": ("GET", ("atrium", "branding", "assets", "logo-light.svg"), None),
    "grader": ("GET", ("atrium", "api", "service", "grading", "policy"), None),
}


@pytest.fixture(params=["gallery", "netdrive", "branding", "grader"])
def off(request) -> str:
    return request.param


@pytest.fixture
def jp_server_config(jp_server_config, off):
    config = copy.deepcopy(jp_server_config)
    config["AtriumApp"] = {"disabled_features": [off]}
    config["AtriumBranding"] = {"spec_path": str(BRAND)}
    return config


async def call(jp_fetch, method, parts, body=None, **kwargs):
    return await jp_fetch(
        *parts,
        method=method,
        body=None if body is None else json.dumps(body),
        allow_nonstandard_methods=True,
        **kwargs,
    )


async def test_a_feature_turned_off_answers_404_and_the_others_work(off, jp_fetch, jp_serverapp):
    for method, parts, body in PROBES[off]:
        with pytest.raises(HTTPClientError) as refused:
            await call(jp_fetch, method, parts, body)
        assert refused.value.code == 404, (method, parts)
        error = json.loads(refused.value.response.body)
        assert error["reason"] == "feature-disabled", error
        assert "c.AtriumApp.disabled_features" in error["message"]
    for feature, (method, parts, body) in WORKING.items():
        if feature != off:
            reply = await call(jp_fetch, method, parts, body)
            assert reply.code == 200, (feature, reply.code)
    # Its handlers are not registered at all: only the refusal answers under its URLs.
    app = jp_serverapp.extension_manager.extension_apps["jupyterlab_atrium"]
    (atrium,) = app
    handlers = {spec[1].__name__ for spec in atrium.handlers}
    gone = {
        "gallery": "GalleryNotebooksEndpointHandler",
        "netdrive": "DrivesHandler",
        "branding": "BrandAssetHandler",
        "grader": "GradingPolicyEndpointHandler",
    }
    assert gone[off] not in handlers
    assert all(gone[f] in handlers for f in gone if f != off)
    # The page and About see it.
    info = json.loads((await jp_fetch("atrium", "api", "info")).body)
    assert info["disabledFeatures"] == [off]
    page = jp_serverapp.web_app.settings["page_config_data"]["atrium"]
    assert page["disabledFeatures"] == [off]
    assert page["branding"]["enabled"] is (off != "branding")
    assert (page["netdrive"] is None) is (off == "netdrive")
    broker = Path(jp_serverapp.runtime_dir).glob("atrium-netdrive-*.json")
    assert bool(list(broker)) is (off != "netdrive")


async def test_a_feature_turned_off_still_refuses_anonymous_requests(off, jp_fetch):
    # Brand assets are public while branding is on (the login page shows them); off, the
    # refusal is for signed-in users only, like every other.
    method, parts, body = PROBES[off][0]
    with pytest.raises(HTTPClientError) as refused:
        await call(jp_fetch, method, parts, body, headers={"Authorization": ""})
    assert refused.value.code == 403


@pytest.mark.parametrize("off", ["gallery"])
async def test_hub_mode_does_not_forward_a_feature_turned_off(jp_server_config, jp_fetch):
    # The hub service is never asked (nothing listens there): the user's server answers.
    jp_server_config["AtriumApp"].update(
        service_url="http://127.0.0.1:9/services/atrium/", service_token="t"
    )
    with pytest.raises(HTTPClientError) as refused:
        await jp_fetch("atrium", "api", "service", "gallery", "notebooks")
    assert refused.value.code == 404
    assert json.loads(refused.value.response.body)["reason"] == "feature-disabled"


def test_unknown_feature_names_are_refused_at_start_up():
    with pytest.raises(
        (TraitError, ValueError), match=r"unknown feature\(s\) 'galery'; known: gallery"
    ):
        AtriumApp(disabled_features=["galery"])
    with pytest.raises((TraitError, ValueError), match=r"AtriumTelemetry.policy = 'off'"):
        AtriumApp(disabled_features=["telemetry"])
    assert AtriumApp(disabled_features=["netdrive", "netdrive"]).disabled_features == ["netdrive"]
