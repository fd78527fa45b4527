"""Every ported program gives exactly CLIPS's conclusions (stored by regenerate.py)."""

import pytest

from .peers import expected, forwardrules_output, programs


@pytest.mark.parametrize("name", programs())
def test_same_conclusions_as_clips(name):
    assert forwardrules_output(name) == expected(name)
