"""Names that follow the release: one pattern, the product names from each release's own rows."""
import pytest

from officenet.derive.release_names import named
from officenet.loading.loader import load


@pytest.fixture(scope="module")
def current():
    return load(release="current")


def test_a_pattern_takes_short_labels_and_full_names_from_the_rows(design, current):
    pattern = "{lync} SIP ({lync_pool}) beside {owas.name}"
    assert named(design, pattern, "x") == (f"{design.label('lync')} SIP ({design.label('lync_pool')}) beside "
                                           f"{design.get('products', 'owas').name}")
    assert named(current, pattern, "x").startswith(current.label("lync") + " SIP")
    assert named(design, pattern, "x") != named(current, pattern, "x")


def test_an_answer_row_names_by_its_short_label(design):
    uag = next(a for a in design.answers if a.id == "rp_uag")
    assert named(design, "{rp_uag}", "uag") == uag.short_label and named(design, "{rp_uag.name}", "uag") == uag.label


def test_a_row_of_another_release_or_no_pattern_reads_as_words(current):
    assert named(current, "Reverse proxy: {rp_uag} (out of support)", "uag") == "uag"  # UAG: 2013 only
    assert named(current, None, "exchange_web") == "exchange web"
