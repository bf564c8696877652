"""A real plan booklet the knowledge base has never seen: the Birchwood Health 403(b) PDF (written by
`fixtures/birchwood/make_booklet.py`) ingested with `beacon ingest --plan birchwood` into a fresh
data dir answers its loan maximum, its hardship reasons and its phone number with the sentence that
states each, cited to the page."""

from __future__ import annotations

import json
import re

import pytest

from assistant.services.turn_service import TurnService
from assistant.surfaces import cli
from tests.assistant.fixtures.birchwood.make_booklet import write_booklet
from tests.conftest import make_deps

DOC = "birchwood/birchwood-403b-spd"
REASONS = [
    "- Medical care expenses for you, your spouse, your dependents or your primary beneficiary.",
    "- Costs directly related to buying your principal residence, not including mortgage payments.",
    "- Tuition, related educational fees, and room and board for the next 12 months of post-secondary education",
    "- Payments needed to prevent your eviction from your principal residence or foreclosure on its mortgage.",
    "- Funeral or burial expenses for your parent, spouse, children, dependents or primary beneficiary.",
    "- Expenses to repair damage to your principal residence that would qualify for the casualty loss deduction.",
    "- Expenses and losses, including loss of income, from a federally declared disaster",
]


@pytest.fixture(scope="module")
def birchwood(models, tmp_path_factory):  # type: ignore[no-untyped-def]
    """Bundled knowledge in a fresh data dir, then the booklet ingested through the CLI as a new plan."""
    root = tmp_path_factory.mktemp("birchwood")
    data = root / "data"
    deps = make_deps(data, models, roster=False)
    pdf = write_booklet(root / "docs" / "birchwood-403b-spd.pdf")
    mp = pytest.MonkeyPatch()
    mp.setenv("BEACON_DATA_DIR", str(data))
    yield pdf, TurnService(deps)
    mp.undo()


def ask(question: str, service: TurnService) -> dict:  # type: ignore[type-arg]
    """The turn JSON `beacon ask --json` prints, from a service over the same data dir."""
    return service.run(question, plan="birchwood").model_dump(mode="json")


def pages(answer: dict) -> set[int]:  # type: ignore[type-arg]
    return {c["page"] for c in answer["citations"] if c["doc_id"] == DOC}


@pytest.mark.slow
def test_the_booklet_ingests_as_a_new_plan_and_answers_with_page_citations(birchwood, capsys) -> None:  # type: ignore[no-untyped-def]
    pdf, service = birchwood
    assert cli.main(["ingest", str(pdf), "--plan", "birchwood", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert re.search(rf"added\s+{DOC}\s+\d+ chunks", out) and "0 rejected" in out, out
    assert re.search(r"precomputed \d+ sentence vectors of \d+ document\(s\) for the relevance gate", out), out

    loan = ask("What is the maximum loan?", service)
    assert loan["action"] == "answer"
    assert "The maximum loan is the lesser of $50,000 or 50% of your vested account balance." in loan["answer"]
    assert 4 in pages(loan) and "page 4" in loan["answer"]

    hardship = ask("What are the hardship reasons?", service)
    assert hardship["action"] == "answer"
    assert "The Plan accepts the following reasons for a hardship withdrawal:" in hardship["answer"]
    assert all(f"\n{reason}" in hardship["answer"] for reason in REASONS), hardship["answer"]  # a list, kept whole
    assert 5 in pages(hardship) and "page 5" in hardship["answer"]

    assert cli.main(["ask", "--plan", "birchwood", "--json", "What's the phone number?"]) == 0
    phone = json.loads(capsys.readouterr().out)
    assert phone["action"] == "answer", phone
    assert "call the Birchwood Benefits Service Center at 1-888-555-0143." in phone["answer"]  # not redacted
    assert pages(phone) == {8} and "page 8" in phone["answer"]

    address = ask("What is the mailing address?", service)
    assert "2200 Alder Street, Suite 300, Portland, OR 97205" in address["answer"] and pages(address) == {8}
