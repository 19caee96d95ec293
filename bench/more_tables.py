"""More tables of our own making (not package datasets) for the detection benchmark, each with a trap
that a flat table of numbers and categories does not have:
- insurance: medical charges with a sharp interaction (smokers pay more above a body-mass index of 30);
- passengers: a ship's manifest: names written "Family, Title. Given" whose title follows sex and
  age, ticket and cabin codes of a few forms, a cabin empty for most but first class, ages missing;
- cars: used-car listings: models that belong to makes, electric cars without an engine size or
  fuel economy, road tax in bands;
- subscribers: a phone and internet provider's customers: add-ons that read "No internet service"
  exactly where there is no internet, total charges about months x the monthly charge and blank
  (" ") for a customer in their first month, months capped at 72;
- loans: a lender's loan book: issue months written "Aug-2019", a rate "13.79%" that follows the grade,
  a term " 36 months" with its leading space, amounts in steps of 25 within a share of income, and
  the monthly installment from the amortisation formula (no product of powers).

    python bench/detection.py --tables insurance,passengers,cars,subscribers,loans --methods auto
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def insurance(rows=1338, seed=0):
    rng = np.random.default_rng(seed)
    age = rng.integers(18, 65, rows)
    sex = rng.choice(["female", "male"], rows)
    bmi = np.round(rng.normal(30.6, 6.1, rows).clip(16, 53), 2)
    children = rng.choice([0, 1, 2, 3, 4, 5], rows, p=[0.43, 0.24, 0.18, 0.12, 0.02, 0.01])
    smoker = rng.choice(["yes", "no"], rows, p=[0.2, 0.8])
    region = rng.choice(["southwest", "southeast", "northwest", "northeast"], rows)
    base = 250 * age + 300 * children + rng.gamma(2, 1500, rows)
    charges = base + (smoker == "yes") * (15000 + np.where(bmi > 30, 20000, 0) + rng.normal(0, 3000, rows))
    return pd.DataFrame(
        {
            "age": age,
            "sex": sex,
            "bmi": bmi,
            "children": children,
            "smoker": smoker,
            "region": region,
            "charges": np.round(charges, 5),
        }
    )


def manifest(rows=891, seed=0):
    """The manifest's numbers and categories, with cabins (the codes and names are added by passengers())."""
    rng = np.random.default_rng(seed)
    pclass = rng.choice([1, 2, 3], rows, p=[0.24, 0.21, 0.55])
    sex = rng.choice(["male", "female"], rows, p=[0.65, 0.35])
    age = np.round(np.clip(rng.normal(30 + 8 * (pclass == 1), 14, rows), 0.42, 80))
    age = np.where(rng.random(rows) < 0.2, np.nan, age)
    sibsp = rng.choice([0, 1, 2, 3, 4, 5, 8], rows, p=[0.68, 0.23, 0.03, 0.02, 0.02, 0.01, 0.01])
    parch = np.where(
        rng.random(rows) < 0.76, 0, rng.choice([1, 2, 3, 4, 5, 6], rows, p=[0.5, 0.38, 0.04, 0.04, 0.03, 0.01])
    )
    fare = np.round(
        np.where(
            pclass == 1,
            rng.lognormal(4.2, 0.7, rows),
            np.where(pclass == 2, rng.lognormal(3.0, 0.4, rows), rng.lognormal(2.2, 0.4, rows)),
        )
        * (1 + 0.3 * (sibsp + parch)),
        4,
    )
    fare = np.where(rng.random(rows) < 0.017, 0.0, fare)
    surv_p = 1 / (
        1 + np.exp(-(-1.0 + 2.5 * (sex == "female") - 0.9 * (pclass - 2) - 0.02 * (np.nan_to_num(age, nan=30) - 30)))
    )
    survived = (rng.random(rows) < surv_p).astype(int)
    cabin = np.where(
        (pclass == 1) & (rng.random(rows) < 0.8) | (rng.random(rows) < 0.05),
        [f"{rng.choice(list('ABCDE'))}{rng.integers(1, 130)}" for _ in range(rows)],
        None,
    )
    embarked = rng.choice(["S", "C", "Q"], rows, p=[0.72, 0.19, 0.09]).astype(object)
    embarked[rng.choice(rows, 2, replace=False)] = None
    return pd.DataFrame(
        {
            "PassengerId": np.arange(1, rows + 1),
            "Survived": survived,
            "Pclass": pclass,
            "Sex": sex,
            "Age": age,
            "SibSp": sibsp,
            "Parch": parch,
            "Fare": fare,
            "Cabin": cabin,
            "Embarked": embarked,
        }
    )


def cars(rows=5000, seed=0):
    rng = np.random.default_rng(seed)
    makes = {
        "Toyota": ["Corolla", "Camry", "RAV4", "Yaris"],
        "Ford": ["Focus", "Fiesta", "Kuga", "Mustang"],
        "BMW": ["3 Series", "5 Series", "X3", "X5"],
        "Kia": ["Rio", "Ceed", "Sportage"],
    }
    premium = {"BMW": 1.8, "Toyota": 1.0, "Ford": 0.9, "Kia": 0.8}
    make = rng.choice(list(makes), rows, p=[0.35, 0.3, 0.15, 0.2])
    model = np.array([rng.choice(makes[m]) for m in make])
    year = rng.integers(2005, 2024, rows)
    age = 2024 - year
    mileage = np.round(np.clip(rng.normal(11000 * age, 4000 * np.sqrt(age + 1)), 5, None), -1).astype(int)
    fuel = rng.choice(["Petrol", "Diesel", "Hybrid", "Electric"], rows, p=[0.55, 0.3, 0.1, 0.05])
    fuel = np.where((year < 2012) & (fuel == "Electric"), "Petrol", fuel)
    engine = np.where(
        fuel == "Electric",
        0.0,
        rng.choice([1.0, 1.2, 1.4, 1.5, 1.6, 2.0, 2.5, 3.0], rows, p=[0.1, 0.15, 0.1, 0.15, 0.15, 0.2, 0.1, 0.05]),
    )
    trans = rng.choice(["Manual", "Automatic", "Semi-Auto"], rows, p=[0.55, 0.35, 0.1])
    trans = np.where(fuel == "Electric", "Automatic", trans)
    price = np.round(
        np.array([premium[m] for m in make])
        * 22000
        * np.exp(-0.11 * age)
        * (1 + 0.15 * (engine - 1.5))
        * np.exp(rng.normal(0, 0.15, rows))
        * (1 + 0.2 * (fuel == "Hybrid")),
        -1,
    ).astype(int)
    tax = np.where(fuel == "Electric", 0, np.where(year < 2017, rng.choice([20, 30, 125, 145, 160, 200], rows), 145))
    mpg = np.round(
        np.where(fuel == "Electric", np.nan, 70 - 10 * engine + rng.normal(0, 5, rows) + 12 * (fuel == "Hybrid")), 1
    )
    return pd.DataFrame(
        {
            "make": make,
            "model": model,
            "year": year,
            "price": price,
            "transmission": trans,
            "mileage": mileage,
            "fuelType": fuel,
            "tax": tax,
            "mpg": mpg,
            "engineSize": engine,
        }
    )


LAST = [
    "Smith",
    "Brown",
    "Johnson",
    "Williams",
    "Andersson",
    "Sage",
    "Goodwin",
    "Panula",
    "Skoog",
    "Rice",
    "Carter",
    "Fortune",
    "Asplund",
    "Harper",
    "Palsson",
    "Kelly",
    "Murphy",
    "Olsen",
    "Lefebre",
    "Baclini",
]
MALE = ["John", "William", "Charles", "George", "James", "Thomas", "Henry", "Edward", "Frederick", "Arthur"]
FEMALE = ["Mary", "Anna", "Elizabeth", "Margaret", "Helen", "Alice", "Ellen", "Catherine", "Bridget", "Emily"]


def passengers(rows=891, seed=0):
    rng = np.random.default_rng(seed)
    t = manifest(rows, seed)
    names, tickets = [], []
    for sex, age, sib in zip(t.Sex, t.Age, t.SibSp, strict=True):
        last = rng.choice(LAST)
        if sex == "male":
            title = "Master" if (age == age and age < 13) else "Mr"
            first = rng.choice(MALE) + (" " + rng.choice(MALE) if rng.random() < 0.4 else "")
            names.append(f"{last}, {title}. {first}")
        else:
            married = (age == age and age > 22 and rng.random() < 0.7) or (sib > 0 and rng.random() < 0.5)
            if married:
                names.append(f"{last}, Mrs. {rng.choice(MALE)} ({rng.choice(FEMALE)} {rng.choice(LAST)})")
            else:
                names.append(f"{last}, Miss. {rng.choice(FEMALE)}")
        r = rng.random()
        tickets.append(
            str(rng.integers(110000, 400000))
            if r < 0.7
            else (
                f"PC {rng.integers(17000, 17800)}"
                if r < 0.8
                else f"A/5 {rng.integers(1000, 30000)}"
                if r < 0.9
                else f"STON/O2. {rng.integers(3100000, 3102000)}"
            )
        )
    t.insert(3, "Name", names)
    t.insert(8, "Ticket", tickets)
    return t


def subscribers(rows=7043, seed=0):
    rng = np.random.default_rng(seed)
    letters = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    ids = [f"{rng.integers(0, 10000):04d}-{''.join(rng.choice(letters, 5))}" for _ in range(rows)]
    partner = np.where(rng.random(rows) < 0.48, "Yes", "No")
    contract = rng.choice(["Month-to-month", "One year", "Two year"], rows, p=[0.55, 0.21, 0.24])
    scale = pd.Series(contract).map({"Month-to-month": 18, "One year": 40, "Two year": 57}).to_numpy()
    tenure = np.clip(rng.gamma(1.2, scale), 0, 72).astype(int)
    phone = np.where(rng.random(rows) < 0.9, "Yes", "No")
    internet = rng.choice(["DSL", "Fiber optic", "No"], rows, p=[0.34, 0.44, 0.22])
    t = pd.DataFrame({"customerID": ids, "gender": rng.choice(["Male", "Female"], rows)})
    t["SeniorCitizen"] = (rng.random(rows) < 0.16).astype(int)
    t["Partner"] = partner
    t["Dependents"] = np.where((partner == "Yes") & (rng.random(rows) < 0.6) | (rng.random(rows) < 0.08), "Yes", "No")
    t["tenure"], t["PhoneService"] = tenure, phone
    multi = np.where(phone == "No", "No phone service", np.where(rng.random(rows) < 0.47, "Yes", "No"))
    t["MultipleLines"], t["InternetService"] = multi, internet
    monthly = 20.0 + np.select([internet == "DSL", internet == "Fiber optic"], [25, 50], 0) + (multi == "Yes") * 5
    for col, p, price in [
        ("OnlineSecurity", 0.37, 5),
        ("OnlineBackup", 0.44, 5),
        ("DeviceProtection", 0.44, 5),
        ("TechSupport", 0.37, 5),
        ("StreamingTV", 0.5, 10),
        ("StreamingMovies", 0.5, 10),
    ]:
        t[col] = np.where(internet == "No", "No internet service", np.where(rng.random(rows) < p, "Yes", "No"))
        monthly = monthly + (t[col] == "Yes").to_numpy() * price
    t["Contract"] = contract
    t["PaperlessBilling"] = np.where(rng.random(rows) < 0.59, "Yes", "No")
    methods = ["Electronic check", "Mailed check", "Bank transfer (automatic)", "Credit card (automatic)"]
    t["PaymentMethod"] = rng.choice(methods, rows, p=[0.34, 0.23, 0.22, 0.21])
    monthly = np.clip(np.round(monthly + rng.normal(0, 1.2, rows) - (phone == "No") * 5, 2), 18.25, 118.75)
    t["MonthlyCharges"] = monthly
    total = np.round(monthly * tenure * rng.normal(1, 0.03, rows), 2)
    t["TotalCharges"] = np.where(tenure == 0, " ", total.astype(str))
    logit = -1.2 + (contract == "Month-to-month") * 1.5 - tenure / 24 + (internet == "Fiber optic") * 0.8
    logit = logit + (t["PaymentMethod"] == "Electronic check").to_numpy() * 0.5 + t["SeniorCitizen"].to_numpy() * 0.3
    t["Churn"] = np.where(rng.random(rows) < 1 / (1 + np.exp(-logit)), "Yes", "No")
    return t


def loans(rows=6000, seed=0):
    rng = np.random.default_rng(seed)
    grade = rng.choice(list("ABCDE"), rows, p=[0.25, 0.3, 0.22, 0.15, 0.08])
    rate = np.round(
        pd.Series(grade).map({"A": 6.5, "B": 10.2, "C": 13.8, "D": 17.9, "E": 22.5}).to_numpy()
        + rng.normal(0, 0.9, rows),
        2,
    )
    term = rng.choice([36, 60], rows, p=[0.7, 0.3])
    income = np.round(rng.lognormal(11, 0.5, rows), -2)
    amount = np.round(np.minimum(income * rng.uniform(0.05, 0.45, rows), 40000) / 25) * 25
    monthly = rate / 1200
    installment = np.round(amount * monthly / (1 - (1 + monthly) ** -term), 2)
    issued = pd.Timestamp("2019-01-01") + pd.to_timedelta(rng.integers(0, 1460, rows), unit="D")
    purposes = ["debt_consolidation", "credit_card", "home_improvement", "car", "medical", "other"]
    years = ["< 1 year", "1 year", "2 years", "3 years", "5 years", "10+ years"]
    charged = rng.random(rows) < 0.08 + 0.02 * (pd.Series(grade).map(ord).to_numpy() - 65)
    return pd.DataFrame(
        {
            "loan_id": np.arange(100000, 100000 + rows),
            "issue_d": issued.strftime("%b-%Y"),
            "grade": grade,
            "int_rate": [f"{x:.2f}%" for x in rate],
            "term": [f" {t} months" for t in term],
            "loan_amnt": amount,
            "annual_inc": income,
            "installment": installment,
            "purpose": rng.choice(purposes, rows, p=[0.5, 0.22, 0.1, 0.06, 0.04, 0.08]),
            "emp_length": rng.choice(years, rows),
            "dti": np.round(np.clip(installment * 12 / income * 100 + rng.normal(10, 5, rows), 0, 45), 2),
            "loan_status": np.where(charged, "Charged Off", "Fully Paid"),
        }
    )
