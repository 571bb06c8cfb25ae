import json, os, re, sys
ROOT = os.path.dirname(os.path.abspath(__file__))
UNITS = {"t","kg","lb","short_ton","Mt","pct","pp","bp","USD","CNY","EUR","JPY","GBP","HKD","x","km","mile","year","month","day","hour","people",None}
KINDS = {"mass","percent","percentage_points","money","multiple","count","age","length","duration","other"}
DIRS = {"up","down",None}
HEDGES = {None,"about","around","roughly","nearly","almost","more than","over","at least","less than","under","just over","some","up to"}
MEASURES = {"level","change","multiple","share","cumulative"}
FLOWS = {"export","import",None}
SERIES = {None,"rare_earth_magnets","rare_earths","rare_earth_products","rare_earth_ores","rare_earth_oxides","soybeans","steel","copper","iron_ore","crude_oil","coal","lng","gallium","germanium","graphite","antimony"}
PARTNERS = {None,"United States","Japan","Germany","South Korea","Vietnam","India","European Union","Netherlands","Thailand","Mexico","Taiwan","Hong Kong","Myanmar","Brazil","Australia","Russia","World"}
REPORTERS = {None,"China","United States","Japan","Germany","South Korea","Vietnam","India","European Union"}
PER = re.compile(r"^\d{4}(-\d{2})?(\.\.\d{4}(-\d{2})?)?$")
def occ_positions(text, q):
    out, i = [], text.find(q)
    while i != -1:
        out.append(i); i = text.find(q, i + 1)
    return out
verbose = "-v" in sys.argv
errors, total = [], 0
arts = {os.path.splitext(f)[0]: f for f in os.listdir(f"{ROOT}/articles")}
golds = sorted(os.listdir(f"{ROOT}/gold"))
for g in golds:
    stem = g[:-5]
    try:
        d = json.load(open(f"{ROOT}/gold/{g}"))
    except Exception as e:
        errors.append(f"{g}: JSON error {e}"); continue
    if stem not in arts: errors.append(f"{g}: no article"); continue
    text = open(f"{ROOT}/articles/{arts[stem]}", encoding="utf-8").read()
    if d.get("id") != stem: errors.append(f"{g}: id mismatch")
    if not re.match(r"^\d{4}-\d{2}-\d{2}$", d.get("date","")): errors.append(f"{g}: bad date")
    if set(d) != {"id","date","claims","non_claims"}: errors.append(f"{g}: keys {set(d)}")
    last = -1
    for n, c in enumerate(d["claims"], 1):
        total += 1
        tag = f"{g}#{n} {c.get('quote')!r}"
        if set(c) != {"quote","occurrence","value","unit","kind","direction","hedge","frame"}: errors.append(f"{tag}: keys {set(c)}")
        pos = occ_positions(text, c["quote"])
        if not isinstance(c["occurrence"], int) or c["occurrence"] < 1 or len(pos) < c["occurrence"]:
            errors.append(f"{tag}: occurrence {c['occurrence']} but found {len(pos)}"); continue
        p = pos[c["occurrence"] - 1]
        if p <= last: errors.append(f"{tag}: not in text order")
        last = p
        q = c["quote"]
        before = text[p-1] if p > 0 else " "
        after = text[p+len(q)] if p+len(q) < len(text) else " "
        if before.isalnum() or (before in ".," and p > 1 and text[p-2].isdigit()) or (after.isalnum() and q[-1].isalnum()):
            errors.append(f"{tag}: occurrence lands inside a longer token ({before!r}..{after!r})")
        v = c["value"]
        num = lambda x: isinstance(x,(int,float)) and not isinstance(x,bool)
        if not (num(v) or (isinstance(v,list) and len(v)==2 and all(map(num,v)) and v[0] <= v[1])):
            errors.append(f"{tag}: bad value {v}")
        for fld, voc in (("unit",UNITS),("kind",KINDS),("direction",DIRS),("hedge",HEDGES)):
            if c[fld] not in voc: errors.append(f"{tag}: bad {fld} {c[fld]!r}")
        f = c["frame"]
        if set(f) != {"measure","flow","series","reporter","partner","period","basis"}: errors.append(f"{tag}: frame keys")
        for fld, voc in (("measure",MEASURES),("flow",FLOWS),("series",SERIES),("partner",PARTNERS),("reporter",REPORTERS)):
            if f.get(fld) not in voc: errors.append(f"{tag}: bad frame.{fld} {f.get(fld)!r}")
        if f["period"] is not None and not PER.match(f["period"]): errors.append(f"{tag}: bad period {f['period']}")
        b = f["basis"]
        if b is not None and b not in ("mom","yoy") and not PER.match(b): errors.append(f"{tag}: bad basis {b}")
        if verbose:
            ctx = text[max(0,p-45):p+len(c['quote'])+25].replace("\n"," ")
            print(f"{stem[:3]}#{n:02d} v={v} {c['unit']} {c['direction']} {c['hedge']} | {f['measure']} {f['flow']} {f['series']} {f['partner']} {f['period']} {f['basis']} || ...{ctx}...")
    for s in d["non_claims"]:
        if s not in text: errors.append(f"{g}: non_claim {s!r} not in text")
    print(f"{stem}: {len(d['claims'])} claims, {len(d['non_claims'])} non_claims")
print(f"TOTAL {total} claims in {len(golds)} gold files; articles without gold: {sorted(set(arts)-{g[:-5] for g in golds})}")
print("ERRORS:" if errors else "ALL CHECKS PASSED", *errors, sep="\n")
