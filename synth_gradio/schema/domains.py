"""Industry words and the values a reader expects in each industry (a telecom's complaint topics, a
bank's products), for drafting a schema from a description."""

from __future__ import annotations

from typing import Any

# Industry words -> values a reader expects there, by the field they fill.
DOMAINS: dict[str, dict[str, Any]] = {
    "telecom": {
        "words": ("telecom", "telco", "mobile operator", "carrier", "broadband", "isp", "mobile network"),
        "category": ["billing", "network coverage", "data speed", "roaming", "contract", "device", "customer service"],
        "product": ["mobile plan", "home broadband", "fibre", "TV bundle", "landline"],
        "plan": ["prepaid", "postpaid", "family", "business"],
        "business": "a telecom company",
    },
    "bank": {
        "words": ("bank", "banking", "fintech", "credit union", "financial"),
        "category": ["card", "loan", "mortgage", "fees", "online banking", "fraud", "account"],
        "product": ["current account", "savings account", "credit card", "mortgage", "personal loan"],
        "plan": ["basic", "plus", "premium"],
        "business": "a bank",
    },
    "insurance": {
        "words": ("insurance", "insurer", "policy"),
        "category": ["auto", "home", "health", "travel", "life"],
        "product": ["car insurance", "home insurance", "health insurance", "travel insurance", "life insurance"],
        "plan": ["basic", "standard", "comprehensive"],
        "business": "an insurance company",
    },
    "retail": {
        "words": ("retail", "e-commerce", "ecommerce", "online store", "shop", "store", "marketplace", "fashion"),
        "category": ["electronics", "clothing", "home & kitchen", "beauty", "sports", "toys", "books"],
        "product": [
            "wireless headphones",
            "running shoes",
            "coffee maker",
            "denim jacket",
            "yoga mat",
            "desk lamp",
            "backpack",
        ],
        "plan": ["standard", "member", "vip"],
        "business": "an online store",
    },
    "hospitality": {
        "words": ("hotel", "hostel", "resort", "hospitality", "airbnb", "guest house"),
        "category": ["room", "cleanliness", "staff", "noise", "breakfast", "check-in", "billing"],
        "product": ["single room", "double room", "twin room", "suite", "family room"],
        "plan": ["room only", "bed and breakfast", "half board"],
        "business": "a hotel",
    },
    "airline": {
        "words": ("airline", "airport", "aviation"),
        "category": ["delay", "baggage", "booking", "seat", "refund", "check-in", "crew"],
        "product": ["economy", "premium economy", "business", "first"],
        "plan": ["basic", "standard", "flex"],
        "business": "an airline",
    },
    "healthcare": {
        "words": ("hospital", "clinic", "healthcare", "health care", "medical", "doctor", "dental"),
        "category": [
            "cardiology",
            "orthopedics",
            "pediatrics",
            "dermatology",
            "general practice",
            "neurology",
            "oncology",
        ],
        "product": ["consultation", "check-up", "x-ray", "blood test", "vaccination"],
        "plan": ["public", "private", "self-pay"],
        "business": "a clinic",
    },
    "saas": {
        "words": ("saas", "software", "app", "platform", "cloud", "startup", "tech company"),
        "category": ["bug", "login", "billing", "performance", "integration", "feature request", "data export"],
        "product": ["web app", "mobile app", "api", "desktop client", "dashboard"],
        "plan": ["free", "starter", "pro", "enterprise"],
        "business": "a software company",
    },
    "restaurant": {
        "words": ("restaurant", "food delivery", "cafe", "takeaway", "food"),
        "category": ["late delivery", "wrong order", "cold food", "missing item", "rude courier", "refund"],
        "product": ["pizza", "burger", "sushi", "salad", "pasta", "curry", "dessert"],
        "plan": ["standard", "plus"],
        "business": "a restaurant",
    },
    "education": {
        "words": ("university", "school", "college", "education", "course", "edtech"),
        "category": ["enrollment", "grades", "fees", "housing", "course content", "schedule"],
        "product": ["computer science", "business", "biology", "psychology", "engineering", "economics", "history"],
        "plan": ["full-time", "part-time", "online"],
        "business": "a university",
    },
    "logistics": {
        "words": ("logistics", "courier", "shipping", "freight", "warehouse", "postal"),
        "category": ["late delivery", "damaged parcel", "lost parcel", "wrong address", "customs", "pickup"],
        "product": ["standard", "express", "overnight", "freight"],
        "plan": ["standard", "express", "overnight"],
        "business": "a courier company",
    },
    "utility": {
        "words": ("energy", "utility", "electricity", "gas supplier", "water company", "power company"),
        "category": ["billing", "meter reading", "outage", "tariff", "payment plan", "connection"],
        "product": ["electricity", "gas", "dual fuel", "solar"],
        "plan": ["fixed", "variable", "green"],
        "business": "an energy supplier",
    },
    "automotive": {
        "words": ("car dealer", "dealership", "automotive", "garage", "car rental", "vehicles", "cars"),
        "category": ["service", "repair", "warranty", "sales", "parts", "rental"],
        "product": ["Toyota", "Volkswagen", "Ford", "Honda", "BMW", "Hyundai", "Tesla"],
        "plan": ["basic", "extended", "premium"],
        "business": "a car dealership",
    },
}
