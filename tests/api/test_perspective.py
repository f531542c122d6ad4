"""POST /v1alpha1/comments:analyze: the Perspective API's shapes and errors."""

from __future__ import annotations

import pytest

from app.api.perspective import ATTRIBUTES, attribute_values
from app.labels import LABELS

URL = "/v1alpha1/comments:analyze"


def _request(text: str = "you are all vermin", **extra) -> dict:
    return {"comment": {"text": text, "type": "PLAIN_TEXT"},
            "requestedAttributes": {name: {} for name in ATTRIBUTES}, **extra}


def test_perspective_answers_in_that_apis_shape(client):
    answer = client.post(URL, json=_request(languages=["en"], clientToken="abc",
                                            doNotStore=True, sessionId="s1", unknownField=1))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert set(body["attributeScores"]) == set(ATTRIBUTES)
    for score in body["attributeScores"].values():
        assert 0.0 <= score["summaryScore"]["value"] <= 1.0
        assert score["summaryScore"]["type"] == "PROBABILITY"
        assert score["spanScores"][0]["begin"] == 0
        assert score["spanScores"][0]["end"] == len("you are all vermin")
    assert body["languages"] == ["en"]
    assert body["detectedLanguages"] == ["en"]
    assert body["clientToken"] == "abc"


def test_perspective_matches_the_documented_mapping(client, moderator):
    text = "you absolute moron, f*** off"
    body = client.post(URL, json=_request(text)).json()
    result = moderator.score([text])[0]
    expected = attribute_values(result.scores, result.target)
    for name in ATTRIBUTES:
        assert body["attributeScores"][name]["summaryScore"]["value"] == pytest.approx(
            expected[name], abs=1e-4)


def test_perspective_leaves_out_attributes_under_their_threshold(client):
    request = _request("have a lovely afternoon")
    request["requestedAttributes"] = {"TOXICITY": {"scoreThreshold": 0.99}, "INSULT": {}}
    body = client.post(URL, json=request).json()
    assert list(body["attributeScores"]) == ["INSULT"]


def test_perspective_span_annotations_add_evidence_spans(client):
    text = "If Erdocunt pulls out his puppet head choppers"
    request = _request(text, spanAnnotations=True)
    request["requestedAttributes"] = {"TOXICITY": {}}
    spans = client.post(URL, json=request).json()["attributeScores"]["TOXICITY"]["spanScores"]
    assert any(text[s["begin"]:s["end"]] == "Erdocunt" for s in spans[1:])


def test_perspective_uses_context(client):
    request = _request("they are vermin", context={"articleAndParentComment": {
        "article": {"text": "A report on immigrants"},
        "parentComment": {"text": "Immigrants are moving into the district."}}})
    assert client.post(URL, json=request).status_code == 200


@pytest.mark.parametrize(
    ("request_body", "message"),
    [
        (_request(languages=["de"]), "does not support request languages: de"),
        ({**_request(), "requestedAttributes": {"SPAM": {}}}, "Unknown requested attribute"),
        ({**_request(), "requestedAttributes": {}}, "at least one"),
        ({"requestedAttributes": {"TOXICITY": {}}}, "comment"),
        (_request(""), "non-empty"),
        ({**_request(), "requestedAttributes": {"TOXICITY": {"scoreType": "STD_DEV"}}},
         "score type"),
    ],
)
def test_perspective_errors_use_that_apis_envelope(client, request_body, message):
    answer = client.post(URL, json=request_body)
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == 400
    assert error["status"] == "INVALID_ARGUMENT"
    assert message in error["message"]


def test_perspective_malformed_json_is_a_400(client):
    answer = client.post(URL, content=b"{not json", headers={"content-type": "application/json"})
    assert answer.status_code == 400
    assert answer.json()["error"]["status"] == "INVALID_ARGUMENT"


def test_perspective_accepts_english_variants(client):
    assert client.post(URL, json=_request(languages=["en-US", "EN"])).status_code == 200


def test_attribute_values_are_probabilities():
    for value in (0.0, 0.3, 1.0):
        values = attribute_values(dict.fromkeys(LABELS, value), "none")
        assert all(v == pytest.approx(value) for v in values.values())
