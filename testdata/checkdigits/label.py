#!/usr/bin/python3
"""Label synthetic national ID numbers for leakprov's check-digit tests.

This script is a test oracle only; nothing in leakprov runs it or depends on
it. It writes, next to itself, four CSV files with the header "value,valid"
(valid is 1 or 0):

    rnokpp.csv   UA RNOKPP, labelled by python-stdnum's stdnum.ua.rntrc
    aadhaar.csv  IN Aadhaar, labelled by stdnum.in_.aadhaar
    inn.csv      RU INN (10 and 12 digits), labelled by stdnum.ru.inn
    iin.csv      KZ IIN, labelled by the independent implementation below
                 of the official rules (python-stdnum has no IIN module)

Every number is synthetic: random digits, numbers made valid by computing
their check digits, single-digit changes and adjacent transpositions of
valid numbers, and edge cases (leading zeros, numbers one digit short,
palindromes, impossible dates). Any likeness to a real person's number is
chance. The Go test fingerprint/checkdigit_test.go reads the files and
requires the validators to agree with the labels on every row.

To rerun (Debian or Ubuntu; the output is deterministic for a given
python-stdnum version, 1.18 when the files were made):

    apt-get install -y python3-stdnum
    /usr/bin/python3 testdata/checkdigits/label.py
"""

import datetime
import os
import random

import stdnum
from stdnum import verhoeff
from stdnum.in_ import aadhaar
from stdnum.ru import inn
from stdnum.ua import rntrc

SEED = 20240611
OUT = os.path.dirname(os.path.abspath(__file__))


def digits(rng, n):
    return ''.join(rng.choice('0123456789') for _ in range(n))


def single_changes(rng, number, count):
    """Numbers that differ from number in exactly one digit."""
    out = []
    for _ in range(count):
        i = rng.randrange(len(number))
        d = rng.choice([c for c in '0123456789' if c != number[i]])
        out.append(number[:i] + d + number[i + 1:])
    return out


def transposition(rng, number):
    """number with two adjacent, different digits swapped, or None."""
    pairs = [i for i in range(len(number) - 1) if number[i] != number[i + 1]]
    if not pairs:
        return None
    i = rng.choice(pairs)
    return number[:i] + number[i + 1] + number[i] + number[i + 2:]


def mutations(rng, valid, per_number=1):
    """Single-digit changes and transpositions of each valid number."""
    out = []
    for v in valid:
        out.extend(single_changes(rng, v, per_number))
        t = transposition(rng, v)
        if t:
            out.append(t)
    return out


def short_forms(values, all_zeros=False):
    """Numbers with a leading zero, one digit short (as spreadsheets write
    them), each followed by its padded form so both rows are labelled; with
    all_zeros, also with every leading zero stripped."""
    out = []
    for v in values:
        if v.startswith('0'):
            out.extend([v[1:], v])
            if all_zeros and v.startswith('00'):
                out.append(v.lstrip('0'))
    return out


def write(name, values, is_valid):
    seen = set()
    rows = []
    for v in values:
        if v in seen:
            continue
        seen.add(v)
        rows.append('%s,%d\n' % (v, 1 if is_valid(v) else 0))
    path = os.path.join(OUT, name)
    with open(path, 'w', newline='') as f:
        f.write('value,valid\n')
        f.writelines(rows)
    n_valid = sum(1 for r in rows if r.endswith(',1\n'))
    print('%s: %d rows, %d valid, %d bytes' % (name, len(rows), n_valid, os.path.getsize(path)))


def make_rnokpp(rng):
    valid = [b + rntrc.calc_check_digit(b) for b in (digits(rng, 9) for _ in range(900))]
    # Born before 1927-05-19: the number starts with 0.
    zero = ['0' + b + rntrc.calc_check_digit('0' + b) for b in (digits(rng, 8) for _ in range(150))]
    values = valid + zero
    values += [digits(rng, 10) for _ in range(700)]
    values += mutations(rng, valid[:600])
    values += short_forms(zero + [digits(rng, 10) for _ in range(400)])
    # A negative weighted sum (only digit 1 has a negative weight).
    values += [str(d) + '00000000' + str(c) for d in range(1, 10) for c in range(10)]
    values += [str(d) * 10 for d in range(10)]
    values += [digits(rng, 11) for _ in range(30)] + [digits(rng, 8) for _ in range(30)]
    return values


def make_aadhaar(rng):
    def with_check(body):
        return body + verhoeff.calc_check_digit(body)

    valid = [with_check(rng.choice('23456789') + digits(rng, 10)) for _ in range(900)]
    values = list(valid)
    values += [digits(rng, 12) for _ in range(700)]
    values += mutations(rng, valid[:600])
    # Verhoeff-valid numbers that start with 0 or 1 (stdnum rejects them).
    values += [with_check(rng.choice('01') + digits(rng, 10)) for _ in range(150)]
    # Palindromes: stdnum rejects them even when the check passes.
    pal = []
    while len(pal) < 60:
        half = rng.choice('23456789') + digits(rng, 5)
        p = half + half[::-1]
        if verhoeff.checksum(p) == 0:
            pal.append(p)
    values += pal
    values += [half + half[::-1] for half in (rng.choice('23456789') + digits(rng, 5) for _ in range(60))]
    values += [str(d) * 12 for d in range(10)]
    values += [digits(rng, 11) for _ in range(30)] + [digits(rng, 13) for _ in range(30)]
    return values


def make_inn(rng):
    valid10 = [b + inn.calc_company_check_digit(b) for b in (digits(rng, 9) for _ in range(500))]
    valid12 = [b + inn.calc_personal_check_digits(b) for b in (digits(rng, 10) for _ in range(700))]
    zero10 = ['0' + b + inn.calc_company_check_digit('0' + b) for b in (digits(rng, 8) for _ in range(100))]
    zero12 = ['0' + b + inn.calc_personal_check_digits('0' + b) for b in (digits(rng, 9) for _ in range(100))]
    values = valid10 + valid12 + zero10 + zero12
    values += [digits(rng, 10) for _ in range(300)] + [digits(rng, 12) for _ in range(400)]
    values += mutations(rng, valid10[:300] + valid12[:400])
    # 12 digits whose first check digit is right and second wrong.
    for b in (digits(rng, 10) for _ in range(100)):
        c = inn.calc_personal_check_digits(b)
        values.append(b + c[0] + str((int(c[1]) + 1 + rng.randrange(9)) % 10))
    values += short_forms(zero10 + zero12 + [digits(rng, 10) for _ in range(200)] +
                          [digits(rng, 12) for _ in range(200)])
    values += [str(d) * 10 for d in range(10)] + [str(d) * 12 for d in range(10)]
    values += [digits(rng, 11) for _ in range(20)] + [digits(rng, 13) for _ in range(20)]
    return values


# --- KZ IIN: independent implementation of the official rules -------------
#
# Rules for forming the identification number, approved by Resolution of
# the Government of Kazakhstan of 22 May 2007 No. 406: digits 1-6 are the
# birth date YYMMDD; digit 7 is century and sex (1/2: 19th century, 3/4:
# 20th, 5/6: 21st; odd male, even female); digits 8-11 a serial; digit 12
# the check digit: sum of digit_i * i (i = 1..11) mod 11; if that is 10, sum
# of digit_i * (3,4,5,6,7,8,9,10,11,1,2)_i mod 11; if 10 again, the number
# is not used.

IIN_W1 = list(range(1, 12))
IIN_W2 = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]


def iin_check(body):
    """Check digit of the 11-digit body, or None when none exists."""
    d = [int(c) for c in body]
    r = sum(w * x for w, x in zip(IIN_W1, d)) % 11
    if r == 10:
        r = sum(w * x for w, x in zip(IIN_W2, d)) % 11
        if r == 10:
            return None
    return r


def iin_is_valid(number):
    if len(number) != 12 or not all(c in '0123456789' for c in number):
        return False
    century = int(number[6])
    if century not in range(1, 7):
        return False
    year = 1800 + 100 * ((century - 1) // 2) + int(number[0:2])
    try:
        datetime.date(year, int(number[2:4]), int(number[4:6]))
    except ValueError:
        return False
    return iin_check(number[:11]) == int(number[11])


def iin_body(rng, date=None, century=None):
    if date is None:
        start = datetime.date(1850, 1, 1).toordinal()
        end = datetime.date(2024, 12, 31).toordinal()
        date = datetime.date.fromordinal(rng.randint(start, end))
    if century is None:
        century = (date.year - 1800) // 100 * 2 + rng.choice((1, 2))
    return date.strftime('%y%m%d') + str(century) + digits(rng, 4)


def iin_complete(body):
    c = iin_check(body)
    return None if c is None else body + str(c)


def make_iin(rng):
    valid = []
    while len(valid) < 1000:
        v = iin_complete(iin_body(rng))
        if v:
            valid.append(v)
    values = list(valid)
    values += [digits(rng, 12) for _ in range(500)]
    values += mutations(rng, valid[:600])
    # Impossible dates and centuries with a correct check digit.
    bad = []
    for _ in range(300):
        body = iin_body(rng)
        kind = rng.randrange(4)
        if kind == 0:    # month 13-19 or 00
            body = body[:2] + rng.choice(['00', '13', '15', '19']) + body[4:]
        elif kind == 1:  # day 00, 32, or 30/31 February
            body = body[:4] + rng.choice(['00', '32', '39']) + body[6:]
            if rng.random() < 0.5:
                body = body[:2] + '02' + rng.choice(['30', '31']) + body[6:]
        elif kind == 2:  # century digit 0, 7, 8, 9
            body = body[:6] + rng.choice('0789') + body[7:]
        else:            # 29 February of a year that is not a leap year
            year = rng.choice([1900, 1901, 1999, 2001, 2023, 1855])
            century = (year - 1800) // 100 * 2 + 1
            body = '%02d0229%d' % (year % 100, century) + digits(rng, 4)
        v = iin_complete(body)
        if v:
            bad.append(v)
    values += bad
    # 29 February of leap years (2000 is one, 1900 is not).
    for year in (1904, 1996, 2000, 2004, 2020, 1852):
        for _ in range(5):
            century = (year - 1800) // 100 * 2 + rng.choice((1, 2))
            v = iin_complete('%02d0229%d' % (year % 100, century) + digits(rng, 4))
            if v:
                values.append(v)
    # Bodies where both weight sequences leave 10: no check digit exists.
    none = 0
    while none < 40:
        body = iin_body(rng)
        if iin_check(body) is None:
            values.append(body + str(rng.randrange(10)))
            none += 1
    # Born 2000-2009: the IIN starts with 0 and spreadsheets drop it.
    # Born in 2000 it starts with 00 (000 until September).
    zero = []
    while len(zero) < 200:
        days = rng.randrange(3650) if len(zero) < 120 else rng.randrange(366)
        d = datetime.date(2000, 1, 1) + datetime.timedelta(days=days)
        v = iin_complete(iin_body(rng, d))
        if v:
            zero.append(v)
    values += short_forms(zero + [digits(rng, 12) for _ in range(100)], all_zeros=True)
    values += [digits(rng, 11) for _ in range(20)] + [digits(rng, 13) for _ in range(20)]
    return values


def main():
    print('python-stdnum', stdnum.__version__)
    rng = random.Random(SEED)
    write('rnokpp.csv', make_rnokpp(rng), rntrc.is_valid)
    write('aadhaar.csv', make_aadhaar(rng), aadhaar.is_valid)
    write('inn.csv', make_inn(rng), inn.is_valid)
    write('iin.csv', make_iin(rng), iin_is_valid)


if __name__ == '__main__':
    main()
