"""Tables of our own making shaped like common business tables (not package datasets), for the
detection benchmark: `python bench/detection.py --tables bank,census,laptops,gems,bikes,housing,hr`.

Each is a function of (rows, seed) built with numpy; none is a copy of a public dataset, they only
share its shape and its traps:
- bank: a bank-marketing-like table: "days since contact" -1 for the 82% never contacted, blocks of
  columns that apply only to some rows, month names;
- census: a census-income-like table: capital gains mostly 0, an education and its number, a
  relationship that follows marital status and sex;
- laptops: a laptop-price table: long-tail text categories (product names, processors), numbers
  written with units ("8GB", "1.37kg");
- gems: a gem-price table: weights heaped at round sizes, dimensions that follow the weight;
- bikes: hourly bike hires, a date with its parts (season, month, weekday, working day) beside it;
- housing: a housing-census-like table: coast geography, counts with ratios, a value capped at
  500,001;
- hr: an HR-attrition-like table: ordinal scales, nested year counts, pay by level, roles that
  belong to departments many to many, constant columns.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def bank(rows=8000, seed=0):
    rng = np.random.default_rng(seed)
    age = np.clip(rng.normal(41, 10.5, rows).round(), 18, 95).astype(int)
    job = rng.choice(
        [
            "blue-collar",
            "management",
            "technician",
            "admin.",
            "services",
            "retired",
            "self-employed",
            "entrepreneur",
            "unemployed",
            "housemaid",
            "student",
            "unknown",
        ],
        rows,
        p=[0.215, 0.209, 0.168, 0.114, 0.092, 0.05, 0.035, 0.033, 0.029, 0.027, 0.021, 0.007],
    )
    job = np.where(age > 62, np.where(rng.random(rows) < 0.7, "retired", job), job)
    job = np.where(age < 24, np.where(rng.random(rows) < 0.5, "student", job), job)
    marital = np.where(
        age < 28,
        rng.choice(["single", "married"], rows, p=[0.7, 0.3]),
        rng.choice(["married", "single", "divorced"], rows, p=[0.65, 0.2, 0.15]),
    )
    education = np.where(
        job == "management",
        rng.choice(["tertiary", "secondary"], rows, p=[0.8, 0.2]),
        rng.choice(["secondary", "primary", "tertiary", "unknown"], rows, p=[0.55, 0.25, 0.16, 0.04]),
    )
    default = np.where(rng.random(rows) < 0.018, "yes", "no")
    balance = np.round(
        np.where(rng.random(rows) < 0.08, -rng.exponential(300, rows), rng.lognormal(6.5, 1.4, rows) * (0.5 + age / 60))
    ).astype(int)
    housing = np.where(rng.random(rows) < np.where(age < 60, 0.6, 0.2), "yes", "no")
    loan = np.where(rng.random(rows) < 0.16, "yes", "no")
    contact = rng.choice(["cellular", "unknown", "telephone"], rows, p=[0.65, 0.29, 0.06])
    month = rng.choice(
        ["may", "jul", "aug", "jun", "nov", "apr", "feb", "jan", "oct", "sep", "mar", "dec"],
        rows,
        p=[0.305, 0.153, 0.138, 0.118, 0.088, 0.065, 0.059, 0.031, 0.016, 0.013, 0.011, 0.003],
    )
    days_in = {"feb": 28, "apr": 30, "jun": 30, "sep": 30, "nov": 30}
    day = np.array([rng.integers(1, days_in.get(m, 31) + 1) for m in month])
    duration = np.round(rng.lognormal(5.2, 0.8, rows)).astype(int)
    campaign = np.clip(rng.geometric(0.4, rows), 1, 63)
    contacted = rng.random(rows) < 0.18
    pdays = np.where(contacted, rng.integers(1, 871, rows), -1)
    previous = np.where(contacted, rng.geometric(0.45, rows), 0)
    poutcome = np.where(contacted, rng.choice(["failure", "other", "success"], rows, p=[0.55, 0.22, 0.23]), "unknown")
    logit = (
        -3
        + 0.004 * duration
        + 2.0 * (poutcome == "success")
        - 0.5 * (housing == "yes")
        + 0.5 * (month == "mar")
        - 0.1 * campaign
    )
    y = np.where(rng.random(rows) < 1 / (1 + np.exp(-logit)), "yes", "no")
    return pd.DataFrame(
        dict(
            age=age,
            job=job,
            marital=marital,
            education=education,
            default=default,
            balance=balance,
            housing=housing,
            loan=loan,
            contact=contact,
            day=day,
            month=month,
            duration=duration,
            campaign=campaign,
            pdays=pdays,
            previous=previous,
            poutcome=poutcome,
            y=y,
        )
    )


def census(rows=15000, seed=0):
    rng = np.random.default_rng(seed)
    age = np.clip(np.round(rng.gamma(6, 6.5, rows) + 17), 17, 90).astype(int)
    edu_levels = [
        "Preschool",
        "1st-4th",
        "5th-6th",
        "7th-8th",
        "9th",
        "10th",
        "11th",
        "12th",
        "HS-grad",
        "Some-college",
        "Assoc-voc",
        "Assoc-acdm",
        "Bachelors",
        "Masters",
        "Prof-school",
        "Doctorate",
    ]
    p = np.array(
        [0.002, 0.005, 0.01, 0.02, 0.016, 0.028, 0.036, 0.013, 0.32, 0.22, 0.042, 0.033, 0.165, 0.054, 0.018, 0.012]
    )
    p /= p.sum()
    ei = rng.choice(16, rows, p=p)
    education = np.array(edu_levels)[ei]
    education_num = ei + 1
    sex = rng.choice(["Male", "Female"], rows, p=[0.67, 0.33])
    married = rng.random(rows) < np.clip((age - 18) / 30, 0, 0.6)
    marital = np.where(
        married,
        "Married-civ-spouse",
        np.where(
            age < 30, "Never-married", rng.choice(["Divorced", "Widowed", "Separated"], rows, p=[0.7, 0.15, 0.15])
        ),
    )
    relationship = np.where(
        married,
        np.where(sex == "Male", "Husband", "Wife"),
        rng.choice(["Not-in-family", "Own-child", "Unmarried"], rows, p=[0.5, 0.3, 0.2]),
    )
    occ = rng.choice(
        [
            "Prof-specialty",
            "Craft-repair",
            "Exec-managerial",
            "Adm-clerical",
            "Sales",
            "Other-service",
            "Machine-op-inspct",
            "Transport-moving",
        ],
        rows,
    )
    occ = np.where(ei >= 12, np.where(rng.random(rows) < 0.6, "Prof-specialty", occ), occ)
    hours = np.clip(np.round(rng.normal(40, 10, rows)), 1, 99).astype(int)
    hours = np.where(rng.random(rows) < 0.45, 40, hours)
    logit = -7 + 0.08 * (age - 17) + 0.35 * education_num + 1.2 * married + 0.03 * (hours - 40) + 0.4 * (sex == "Male")
    rich = rng.random(rows) < 1 / (1 + np.exp(-logit + 1.5))
    gain = np.where(rng.random(rows) < np.where(rich, 0.2, 0.04), np.round(np.exp(rng.normal(8.5, 1, rows))), 0).astype(
        int
    )
    loss = np.where((gain == 0) & (rng.random(rows) < 0.045), rng.choice([1902, 1977, 1887, 1485, 1740, 2415], rows), 0)
    country = rng.choice(
        ["United-States", "Mexico", "Philippines", "Germany", "India", "Canada", "?"],
        rows,
        p=[0.9, 0.03, 0.02, 0.015, 0.015, 0.01, 0.01],
    )
    workclass = np.where(
        age > 70,
        rng.choice(["?", "Self-emp-not-inc"], rows),
        rng.choice(
            ["Private", "Self-emp-not-inc", "Local-gov", "State-gov", "?"], rows, p=[0.74, 0.09, 0.08, 0.05, 0.04]
        ),
    )
    fnlwgt = np.round(np.exp(rng.normal(12.0, 0.55, rows))).astype(int)
    return pd.DataFrame(
        {
            "age": age,
            "workclass": workclass,
            "fnlwgt": fnlwgt,
            "education": education,
            "education_num": education_num,
            "marital_status": marital,
            "occupation": occ,
            "relationship": relationship,
            "sex": sex,
            "capital_gain": gain,
            "capital_loss": loss,
            "hours_per_week": hours,
            "native_country": country,
            "income": np.where(rich, ">50K", "<=50K"),
        }
    )


def laptops(rows=1303, seed=0):
    rng = np.random.default_rng(seed)

    def pick(values, p=None, n=rows):
        p = None if p is None else np.asarray(p, float) / np.sum(p)
        return np.asarray(values, dtype=object)[rng.choice(len(values), n, p=p)]

    companies = [
        "Dell",
        "Lenovo",
        "HP",
        "Asus",
        "Acer",
        "MSI",
        "Toshiba",
        "Apple",
        "Samsung",
        "Razer",
        "Mediacom",
        "Microsoft",
        "Xiaomi",
        "Vero",
        "Chuwi",
        "Google",
        "Fujitsu",
        "LG",
        "Huawei",
    ]
    comp = pick(companies, 1 / np.arange(1, 20) ** 1.3)
    series = {
        "Dell": ["Inspiron", "XPS", "Latitude", "Vostro", "Alienware", "Precision"],
        "Lenovo": ["IdeaPad", "ThinkPad", "Yoga", "Legion"],
        "HP": ["Pavilion", "EliteBook", "ProBook", "Omen", "Envy", "Spectre"],
        "Asus": ["VivoBook", "ZenBook", "ROG Strix", "Rog", "X541NA"],
        "Acer": ["Aspire", "Swift", "Predator", "Spin", "Chromebook"],
        "Apple": ["MacBook Pro", "MacBook Air", "MacBook"],
    }
    types = ["Notebook", "Gaming", "Ultrabook", "2 in 1 Convertible", "Workstation", "Netbook"]
    typ = pick(types, [56, 16, 15, 9, 2, 2])
    prod = []
    for c, _t in zip(comp, typ, strict=False):
        s = rng.choice(series.get(c, [c + " Book", c + " Pro"]))
        k = int(rng.geometric(0.08))
        prod.append(f"{s} {(k * 37 + len(s) * 101) % 9000 + 1000}" if rng.random() < 0.8 else s)
    size_by = {
        "Notebook": ([15.6, 14, 17.3, 13.3, 11.6], [60, 15, 12, 8, 5]),
        "Gaming": ([15.6, 17.3, 14], [60, 35, 5]),
        "Ultrabook": ([13.3, 14, 15.6, 12.5, 13.5], [45, 25, 20, 7, 3]),
        "2 in 1 Convertible": ([13.3, 14, 15.6, 12.3, 11.6], [40, 20, 15, 15, 10]),
        "Workstation": ([15.6, 17.3, 14], [60, 30, 10]),
        "Netbook": ([11.6, 10.1, 12.5], [60, 30, 10]),
    }
    inches = np.array([pick(*size_by[t], n=1)[0] for t in typ], float)
    tier = np.where(
        np.isin(typ, ["Gaming", "Workstation"]), 2, np.where(np.isin(typ, ["Ultrabook"]), 1, 0)
    ) + rng.integers(-1, 2, rows)
    tier = np.clip(tier, 0, 3)
    cpu_fam = np.array(["Intel Celeron", "Intel Core i3", "Intel Core i5", "Intel Core i7"])[tier]
    gen = rng.choice([6, 7, 8], rows, p=[0.2, 0.6, 0.2])
    suffix = np.where(np.isin(typ, ["Gaming", "Workstation"]), "HQ", "U")
    model_no = gen * 1000 + np.array([0, 100, 200, 500])[tier] + rng.choice([0, 0, 0, 50, 60, 10], rows)
    ghz = np.round(1.6 + 0.3 * tier + rng.choice([0, 0.1, 0.2, 0.3, 0.4], rows), 1)
    cpu = [
        f"{f} {m}{s} {g}GHz"
        if f != "Intel Celeron"
        else f"Intel Celeron Dual Core N{3000 + 50 * int(rng.integers(0, 8))} {g}GHz"
        for f, m, s, g in zip(cpu_fam, model_no, suffix, ghz, strict=False)
    ]
    ram = np.array([2, 4, 8, 16, 32])[np.clip(tier + rng.choice([0, 1, 1, 2], rows), 0, 4)]
    ram_s = [f"{r}GB" for r in ram]
    ssd = rng.random(rows) < 0.25 + 0.2 * tier
    mem = [
        (f"{rng.choice([128, 256, 512])}GB SSD" + ("  + 1TB HDD" if rng.random() < 0.3 * (t == "Gaming") + 0.1 else ""))
        if s
        else rng.choice(["1TB HDD", "500GB HDD", "2TB HDD", "32GB Flash Storage"], p=[0.6, 0.25, 0.05, 0.1])
        for s, t in zip(ssd, typ, strict=False)
    ]
    gpu = [
        (f"Nvidia GeForce GTX {rng.choice([1050, 1060, 1070, 1080, 960])}" + ("M" if rng.random() < 0.1 else ""))
        if t in ("Gaming",)
        else (
            f"Intel HD Graphics {rng.choice([620, 520, 500, 400, 615])}"
            if rng.random() < 0.8
            else f"AMD Radeon {rng.choice(['R5', 'R7 M445', '530', '520'])}"
        )
        for t in typ
    ]
    ops = pick(
        ["Windows 10", "No OS", "Linux", "Windows 7", "Chrome OS", "macOS", "Mac OS X", "Android"],
        [82, 5, 5, 3, 2, 1, 1, 0.2],
    )
    ops = np.where(comp == "Apple", "macOS", ops)
    weight = np.round(
        0.11 * inches
        + 0.5 * (typ == "Gaming")
        + 0.3 * (typ == "Workstation")
        - 0.3 * (typ == "Ultrabook")
        + rng.normal(0, 0.2, rows),
        2,
    ).clip(0.7)
    price = np.exp(
        5.6
        + 0.35 * tier
        + 0.25 * np.log2(ram)
        + 0.25 * ssd
        + 0.3 * (comp == "Apple")
        + 0.15 * (typ == "Workstation")
        + rng.normal(0, 0.22, rows)
    )
    return pd.DataFrame(
        {
            "laptop_ID": np.arange(1, rows + 1),
            "Company": comp,
            "Product": prod,
            "TypeName": typ,
            "Inches": inches,
            "Ram": ram_s,
            "Memory": mem,
            "Cpu": cpu,
            "Gpu": gpu,
            "OpSys": ops,
            "Weight": [f"{w}kg" for w in weight],
            "Price_euros": np.round(price, 2),
        }
    )


def gems(rows=20000, seed=0):
    rng = np.random.default_rng(seed)
    carat = np.exp(rng.normal(-0.45, 0.55, rows)).clip(0.2, 5)
    heap = rng.random(rows) < 0.35
    points = np.array([0.3, 0.4, 0.5, 0.7, 0.9, 1.0, 1.01, 1.2, 1.5, 2.0])
    near = points[np.abs(carat[:, None] - points[None, :]).argmin(1)]
    carat = np.where(heap, near, np.round(carat, 2))
    cut = rng.choice(["Fair", "Good", "Very Good", "Premium", "Ideal"], rows, p=[0.03, 0.09, 0.22, 0.26, 0.40])
    color = rng.choice(list("DEFGHIJ"), rows, p=[0.12, 0.18, 0.18, 0.21, 0.15, 0.10, 0.06])
    clarity = rng.choice(
        ["I1", "SI2", "SI1", "VS2", "VS1", "VVS2", "VVS1", "IF"],
        rows,
        p=[0.01, 0.17, 0.24, 0.23, 0.15, 0.09, 0.07, 0.04],
    )
    ci = (
        pd.Series(clarity)
        .map({k: i for i, k in enumerate(["I1", "SI2", "SI1", "VS2", "VS1", "VVS2", "VVS1", "IF"])})
        .to_numpy()
    )
    co = pd.Series(color).map({k: i for i, k in enumerate("DEFGHIJ")}).to_numpy()
    depth = np.round(np.where(cut == "Ideal", rng.normal(61.7, 0.7, rows), rng.normal(61.9, 1.6, rows)), 1)
    table = np.where(
        rng.random(rows) < 0.8, np.round(rng.normal(57.4, 2.2, rows)), np.round(rng.normal(57.4, 2.2, rows), 1)
    )
    table = np.where(cut == "Ideal", np.minimum(table, 57), table)
    x = np.round(6.45 * carat ** (1 / 3) + rng.normal(0, 0.03, rows), 2)
    y = np.round(x + rng.normal(0, 0.04, rows), 2)
    z = np.round(depth / 100 * (x + y) / 2, 2)
    price = np.exp(8.4 + 1.75 * np.log(carat) + 0.08 * ci - 0.07 * co + rng.normal(0, 0.15, rows))
    price = np.round(price).astype(int).clip(326, 18823)
    return pd.DataFrame(
        {
            "carat": carat,
            "cut": cut,
            "color": color,
            "clarity": clarity,
            "depth": depth,
            "table": table,
            "price": price,
            "x": x,
            "y": y,
            "z": z,
        }
    )


def bikes(rows=None, seed=0):
    rng = np.random.default_rng(seed)
    days = pd.date_range("2011-01-01", "2012-12-31", freq="D")
    holidays = set(rng.choice(len(days), 21, replace=False))
    recs = []
    inst = 0
    for i, d in enumerate(days):
        season = (d.month % 12) // 3 + 1
        wd = (d.dayofweek + 1) % 7
        hol = int(i in holidays)
        work = int(wd not in (0, 6) and not hol)
        base_t = 0.5 - 0.3 * np.cos(2 * np.pi * (d.dayofyear - 15) / 365) + rng.normal(0, 0.06)
        wet = rng.choice([1, 2, 3], p=[0.65, 0.27, 0.08])
        for h in range(24):
            if rng.random() < 0.01:
                continue
            inst += 1
            t = float(np.clip(base_t + 0.06 * np.sin(2 * np.pi * (h - 9) / 24) + rng.normal(0, 0.02), 0.02, 1))
            at = float(np.clip(t * 0.95 + 0.02 + rng.normal(0, 0.015), 0, 1))
            hum = float(np.clip(rng.normal(0.63 + 0.08 * (wet - 1), 0.15), 0, 1))
            wind = float(np.clip(rng.gamma(2.5, 0.075), 0, 0.85))
            peak = (
                (np.exp(-((h - 8) ** 2) / 3) + np.exp(-((h - 17.5) ** 2) / 4))
                if work
                else np.exp(-((h - 14) ** 2) / 18)
            )
            level = (1 + 0.7 * d.year - 2011 * 0.7) * (0.3 + t) * (1.2 - 0.25 * (wet - 1))
            reg = int(rng.poisson(max(0.5, 380 * level * (0.08 + peak))))
            cas = int(rng.poisson(max(0.2, 90 * level * (0.05 + (1 - work) * np.exp(-((h - 14) ** 2) / 18)) * t)))
            recs.append(
                {
                    "instant": inst,
                    "dteday": d.strftime("%Y-%m-%d"),
                    "season": season,
                    "yr": d.year - 2011,
                    "mnth": d.month,
                    "hr": h,
                    "holiday": hol,
                    "weekday": wd,
                    "workingday": work,
                    "weathersit": wet,
                    "temp": round(t, 2),
                    "atemp": round(at, 4),
                    "hum": round(hum, 2),
                    "windspeed": round(wind, 4),
                    "casual": cas,
                    "registered": reg,
                    "cnt": cas + reg,
                }
            )
    return pd.DataFrame(recs)


def housing(rows=20000, seed=0):
    rng = np.random.default_rng(seed)
    t = rng.beta(1.2, 1.2, rows)  # position along the coast, north to south
    cx, cy = -124.3 + 7.2 * t, 42.0 - 9.5 * t
    inland = rng.exponential(0.6, rows) * np.where(rng.random(rows) < 0.7, 0.4, 2.0)
    lon = np.round(cx + inland * 0.8 + rng.normal(0, 0.05, rows), 2)
    lat = np.round(cy + inland * 0.6 + rng.normal(0, 0.05, rows), 2)
    bay = (lat > 37.3) & (lat < 38.3) & (inland < 0.3)
    prox = np.where(
        inland < 0.12, np.where(bay, "NEAR BAY", "NEAR OCEAN"), np.where(inland < 0.7, "<1H OCEAN", "INLAND")
    )
    prox[rng.choice(rows, 5, replace=False)] = "ISLAND"
    age = np.minimum(np.round(rng.gamma(4, 7.5, rows)), 52).clip(1).astype(int)
    households = np.round(rng.lognormal(5.95, 0.55, rows)).astype(int).clip(2)
    rooms = np.round(households * rng.lognormal(np.log(5.2) + 0.004 * (age - 28) * -1, 0.25, rows)).astype(int)
    bedrooms = np.round(rooms * rng.lognormal(np.log(0.21), 0.12, rows)).astype(float)
    bedrooms[rng.random(rows) < 0.01] = np.nan
    population = np.round(households * rng.lognormal(np.log(2.9), 0.3, rows)).astype(int)
    coast = np.where(inland < 0.7, 1.0, 0.0)
    income = np.round(rng.lognormal(np.log(3.3) + 0.25 * coast, 0.45, rows), 4).clip(0.4999, 15.0001)
    value = np.exp(10.9 + 0.75 * np.log(income) + 0.55 * coast - 0.15 * inland + 0.15 * bay + rng.normal(0, 0.3, rows))
    value = np.minimum(np.round(value, -2), 500001).astype(int)
    return pd.DataFrame(
        {
            "longitude": lon,
            "latitude": lat,
            "housing_median_age": age,
            "total_rooms": rooms,
            "total_bedrooms": bedrooms,
            "population": population,
            "households": households,
            "median_income": income,
            "median_house_value": value,
            "ocean_proximity": prox,
        }
    )


def hr(rows=1470, seed=0):
    rng = np.random.default_rng(seed)
    age = np.clip(np.round(rng.normal(37, 9, rows)), 18, 60).astype(int)
    level = np.clip(np.round((age - 18) / 9 + rng.normal(0.3, 0.9, rows)), 1, 5).astype(int)
    dept = rng.choice(["Research & Development", "Sales", "Human Resources"], rows, p=[0.65, 0.3, 0.05])
    role_by = {
        "Research & Development": [
            "Research Scientist",
            "Laboratory Technician",
            "Manufacturing Director",
            "Healthcare Representative",
            "Research Director",
        ],
        "Sales": ["Sales Executive", "Sales Representative", "Manager"],
        "Human Resources": ["Human Resources", "Manager"],
    }
    role = np.array([rng.choice(role_by[d]) for d in dept])
    income = np.round(np.exp(np.log(2000) + 0.55 * level + rng.normal(0, 0.18, rows))).astype(int)
    total = np.clip(np.round((age - 18) * rng.uniform(0.3, 1.0, rows)), 0, 40).astype(int)
    at_company = np.round(total * rng.beta(1.2, 2, rows)).astype(int)
    in_role = np.round(at_company * rng.beta(1.5, 2, rows)).astype(int)
    with_mgr = np.round(at_company * rng.beta(1.5, 2, rows)).astype(int)
    overtime = rng.choice(["Yes", "No"], rows, p=[0.28, 0.72])
    sat = rng.integers(1, 5, rows)
    risk = -2.2 + 1.2 * (overtime == "Yes") - 0.35 * (sat - 2.5) - 0.3 * (level - 2) - 0.04 * (at_company - 5)
    attrition = np.where(rng.random(rows) < 1 / (1 + np.exp(-risk)), "Yes", "No")
    return pd.DataFrame(
        {
            "Age": age,
            "Attrition": attrition,
            "Department": dept,
            "DistanceFromHome": np.clip(np.round(rng.lognormal(1.8, 0.9, rows)), 1, 29).astype(int),
            "Education": rng.choice([1, 2, 3, 4, 5], rows, p=[0.12, 0.19, 0.39, 0.27, 0.03]),
            "EmployeeCount": 1,
            "JobLevel": level,
            "JobRole": role,
            "JobSatisfaction": sat,
            "MonthlyIncome": income,
            "NumCompaniesWorked": np.minimum(rng.poisson(total / 6 + 0.5), 9),
            "Over18": "Y",
            "OverTime": overtime,
            "PercentSalaryHike": np.clip(np.round(rng.gamma(6, 2.5, rows)), 11, 25).astype(int),
            "StandardHours": 80,
            "TotalWorkingYears": total,
            "YearsAtCompany": at_company,
            "YearsInCurrentRole": in_role,
            "YearsWithCurrManager": with_mgr,
        }
    )


def named_days(frame: pd.DataFrame) -> pd.DataFrame:
    """The date's weekday by name beside its number (a value the date fixes, written as text)."""
    return frame.assign(weekday_name=pd.to_datetime(frame["dteday"]).dt.day_name())


def own_tables() -> dict:
    """Name -> loader, as bench/detection.py lists its tables."""
    return {
        "bank": bank,
        "census": census,
        "laptops": laptops,
        "gems": gems,
        "bikes": lambda: named_days(bikes().head(3000)),
        "housing": housing,
        "hr": hr,
        **more_tables(),
    }


def more_tables() -> dict:
    from more_tables import cars, insurance, loans, passengers, subscribers

    return {"insurance": insurance, "passengers": passengers, "cars": cars, "subscribers": subscribers, "loans": loans}
