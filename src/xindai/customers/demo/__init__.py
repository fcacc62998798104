"""Demo economic archives (演示经济档案): one county with 3 townships and 10 villages, 300 farmer
households, 30 individual businesses (个体工商户) and 6 small enterprises.

Everything comes from a fixed seed (``random.Random`` and Faker ``zh_CN``): names are made up
and so are the identity numbers, which are nevertheless valid (check digits, birth dates that
fit each member's relation to the head, the 17th digit matching the sex). The county is the
fictional 青禾县 on the real region code 360121, which python-stdnum accepts for every birth
year. Completeness varies on purpose: a fifth of the archives are complete, the others lack
sections or documents, and some ID cards, leases and permits have expired, so that checklists
have something to show. Dates are placed relative to ``as_of`` (the business date).

Seeding again creates nothing: the county's area code marks the data set as present.
"""

from xindai.customers.demo.county import seed_demo_archives

__all__ = ["seed_demo_archives"]
