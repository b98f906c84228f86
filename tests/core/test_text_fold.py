from core.text import fold


def test_it_strips_diacritics_and_lower_cases():
    assert fold("Đinh Thị Hòa") == "dinh thi hoa"


def test_it_maps_the_barred_d_of_both_cases():
    # đ has no Unicode decomposition, so it needs its own mapping.
    assert fold("đường ĐÔNG") == "duong dong"


def test_it_collapses_and_trims_whitespace():
    assert fold("  Phường \t Hoa   Lư\n") == "phuong hoa lu"


def test_it_folds_composed_and_decomposed_spellings_alike():
    composed = "Nguyễn"
    decomposed = "Nguye\u0302\u0303n"
    assert fold(composed) == fold(decomposed) == "nguyen"
