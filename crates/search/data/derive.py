#!/usr/bin/env python3
"""Derives the compound word lists of Raadhus' Danish analyzer from the
Danish hunspell dictionary (Stavekontrolden, Debian package hunspell-da).

    python3 derive.py /usr/share/hunspell/da_DK.dic

writes, beside this script:

- heads.txt.gz: the forms a word takes at the start or in the middle of a
  compound, linking letter included ("affalds", "skole", "by"): the
  dictionary's own compounding suffix rules (continuation flags
  COMPOUNDBEGIN/COMPOUNDMIDDLE) applied to its words;
- tails.txt.gz: the words that may end a compound (flag ORD_SIDST or
  COMPOUNDEND), 3 letters or more.

Only lower-case words of letters are kept (no names, abbreviations or
hyphenated words). Both lists are sorted, one word a line, gzip'd with no
timestamp so that a rerun gives the same bytes.
"""

import gzip
import os
import re
import sys

LETTERS = re.compile(r"^[a-zæøåéü]+$")


def read_aff(path):
    flags = {}
    rules = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2 and parts[0] in (
                "COMPOUNDBEGIN", "COMPOUNDMIDDLE", "COMPOUNDEND",
                "NEEDAFFIX", "FORBIDDENWORD", "ONLYINCOMPOUND",
            ):
                flags[parts[0]] = parts[1]
            if len(parts) >= 5 and parts[0] == "SFX":
                flag, strip, add, cond = parts[1], parts[2], parts[3], parts[4]
                add, _, cont = add.partition("/")
                rules.append((
                    flag,
                    "" if strip == "0" else strip,
                    "" if add == "0" else add,
                    re.compile("(" + cond + ")$") if cond != "." else None,
                    set(cont.split(",")) if cont else set(),
                ))
    return flags, rules


def main():
    dic = sys.argv[1]
    flags, rules = read_aff(dic[:-4] + ".aff")
    begin = {flags["COMPOUNDBEGIN"], flags["COMPOUNDMIDDLE"]}
    end = flags["COMPOUNDEND"]
    excluded = {flags["NEEDAFFIX"], flags["FORBIDDENWORD"], flags["ONLYINCOMPOUND"]}
    by_flag = {}
    for rule in rules:
        if rule[4] & begin:
            by_flag.setdefault(rule[0], []).append(rule)
    heads, tails = set(), set()
    with open(dic, encoding="utf-8") as f:
        next(f)  # the count of words
        for line in f:
            word, _, word_flags = line.strip().partition("/")
            word_flags = set(word_flags.split()[0].split(",")) if word_flags else set()
            if not LETTERS.match(word) or word_flags & excluded:
                continue
            if word_flags & {"39", end} and len(word) >= 3:
                tails.add(word)
            for flag in word_flags:
                for _, strip, add, cond, _ in by_flag.get(flag, []):
                    if cond is not None and not cond.search(word):
                        continue
                    if strip and not word.endswith(strip):
                        continue
                    form = word[: len(word) - len(strip)] + add
                    if LETTERS.match(form) and len(form) >= 2:
                        heads.add(form)
    here = os.path.dirname(os.path.abspath(__file__))
    for name, words in (("heads.txt.gz", heads), ("tails.txt.gz", tails)):
        data = "".join(w + "\n" for w in sorted(words)).encode("utf-8")
        with open(os.path.join(here, name), "wb") as out:
            out.write(gzip.compress(data, compresslevel=9, mtime=0))
        print(name, len(words), "words")


if __name__ == "__main__":
    main()
