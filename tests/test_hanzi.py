from hypothesis import given
from hypothesis import strategies as st

from cleaner.hanzi import SHORT, _profile, plausibility, profile, profile_unless_below

_CHARACTERS = st.sampled_from(list("智慧城市，。、鑫淼鍦ㄥ\ufffd\ue000\x85ÖÇ»Û①いア한Ж１Ａａ ,\nab") + ["\U00020000", "\U000f0001"])


@given(st.lists(_CHARACTERS, max_size=3 * SHORT).map("".join), st.booleans())
def test_short_texts_are_counted_as_the_passes_count_them(text, scripts):
    assert profile(text, scripts) == _profile(text, scripts, None)


@given(st.lists(_CHARACTERS, min_size=SHORT + 1, max_size=200).map("".join), st.floats(-3, 1))
def test_a_profile_is_left_unfinished_only_below_the_ceiling(text, ceiling):
    found = profile_unless_below(text, ceiling)
    if found is None:
        assert plausibility(profile(text)) < ceiling
    else:
        assert found == profile(text)
