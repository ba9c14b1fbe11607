"""``paged``: the paginator counts and slices the queryset, and only the rows
of the page become schemas."""

import pytest

from simi.core.models import Office
from simi.core.paging import paged

pytestmark = pytest.mark.django_db


def test_it_converts_only_the_rows_of_the_page(reference_data):
    # given the offices, and a converter that records what it converts
    converted = []

    def convert(office):
        converted.append(office.code)
        return office.code

    queryset = Office.objects.order_by("code")
    listing = paged(queryset, convert)
    # when the paginator takes the second page of two
    page = listing.all()[2:4]
    # then two rows were converted, and the count is of all rows
    assert page == converted == list(queryset.values_list("code", flat=True)[2:4])
    assert listing.count() == len(listing) == queryset.count()


def test_an_offset_beyond_any_integer_gives_an_empty_page_without_a_query(
    reference_data, django_assert_max_num_queries
):
    listing = paged(Office.objects.all(), lambda office: office.code)
    with django_assert_max_num_queries(1):  # the count only
        assert listing[10**20 : 10**20 + 10] == []
