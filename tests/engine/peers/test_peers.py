"""Every ported program gives exactly CLIPS's conclusions (stored by regenerate.py)."""

import pytest

from .peers import (
    expected,
    expected_sequence,
    forwardrules_output,
    forwardrules_sequence,
    programs,
    sequenced_type,
)


@pytest.mark.parametrize("name", programs())
def test_same_conclusions_as_clips(name):
    assert forwardrules_output(name) == expected(name)


@pytest.mark.parametrize("name", [n for n in programs() if sequenced_type(n) is not None])
def test_same_steps_in_the_same_order_as_clips(name):
    assert forwardrules_sequence(name) == expected_sequence(name)
