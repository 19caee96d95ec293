"""A text names its own record's things and never greets its own writer (quality/texttopics.py)."""

from __future__ import annotations

import random

from synth_gradio.engine.coupling import TextCoupling
from synth_gradio.quality.textcheck import lasting_problem, record_problems, text_agreement
from synth_gradio.quality.textjunk import junk_problem
from synth_gradio.quality.textroles import text_roles
from synth_gradio.schema.model import load_schema

TICKET = {
    "title": "Support ticket",
    "type": "object",
    "properties": {
        "customer_name": {"type": "string"},
        "agent_name": {"type": "string"},
        "device_type": {"type": "string", "enum": ["router", "laptop", "phone", "other"]},
        "status": {"type": "string", "enum": ["open", "closed"]},
        "message": {"type": "string", "description": "the customer's message to support"},
        "reply": {"type": "string", "description": "the reply written by the support agent"},
    },
}


def _problems(**record: str) -> list[str]:
    base = {"customer_name": "David Moore", "agent_name": "Priya Shah", "device_type": "laptop", "status": "open"}
    return [str(p) for p in record_problems({**base, **record}, text_roles(TICKET))]


def test_topic_fields_are_categories_of_things_with_nameable_values() -> None:
    roles = {r.name: r for r in text_roles(TICKET)}
    (topic,) = roles["message"].topics
    assert topic.name == "device_type" and topic.values == ("router", "laptop", "phone")  # "other" is vague
    assert roles["message"].writers == ("customer_name",) and roles["reply"].writers == ("agent_name",)


def test_a_text_about_another_thing_than_its_record_disagrees() -> None:
    wrong = _problems(message="My phones keep dropping the connection since Monday, please help.")
    assert wrong == ["disagrees: the text is about 'phone' but device_type is 'laptop' at $.message"]
    # Its own thing beside another is fine, and so is naming nothing; a status word is no topic.
    assert not _problems(message="I moved from a phone to this laptop and now the screen flickers.")
    assert not _problems(message="It will not turn on since Monday and I need it for work.")
    assert not _problems(message="I cannot open the lid of the laptop since it was closed in a bag.", status="closed")


def test_a_text_that_greets_its_own_writer_is_off_voice() -> None:
    for text in ("Dear David, your laptop repair is booked for Monday.", "Hi @David Moore, the laptop is fixed.",
                 "David Moore, this is an urgent laptop ticket that needs you."):  # fmt: skip
        (problem,) = _problems(message=text)
        assert problem.startswith("off-voice: the text speaks to its own writer")
    # Signing one's own name, and an agent greeting the customer, are in voice.
    assert not _problems(message="My laptop will not charge since the update. Thanks, David")
    assert not _problems(reply="Hi David, we have booked your laptop in for a repair on Monday.")
    assert _problems(reply="Hi Priya, the laptop is back at the desk.")  # the agent greeting herself
    assert not _problems(message="Hi, David here: my laptop will not charge since Friday.")
    assert not _problems(message="Hello, David Moore here, and my laptop will not charge since Friday.")
    may = {"customer_name": "May Chen", "agent_name": "Priya Shah", "device_type": "laptop", "status": "open"}
    assert not record_problems(
        {**may, "message": "Hi, May I ask why my laptop is still not fixed?"}, text_roles(TICKET)
    )


def test_a_text_signed_with_another_persons_name_is_off_voice() -> None:
    for text in ("My laptop will not charge since Friday. Best regards, John", "Please help with my laptop.\n- John Smith",
                 "My laptop will not charge.\nThanks,\nJohn"):  # fmt: skip
        (problem,) = _problems(message=text)
        assert problem == "off-voice: the text is signed by someone other than its writer ('John') at $.message"
    # Its own writer's name, a team, and thanking someone on the same line are no signature of another.
    assert not _problems(message="My laptop will not charge since Friday. Best regards, David Moore")
    assert not _problems(message="My laptop will not charge since Friday. Best, Team")
    assert not _problems(message="That fixed my laptop. Thanks, John!")
    assert not _problems(reply="Your laptop is ready for pick-up.\nKind regards,\nPriya")
    # A short form of the writer's own name is theirs; a product's "name" field signs nothing; a
    # list's last bullet and "the best Mercedes" are no signature.
    assert not _problems(message="My laptop will not charge.\nThanks,\nDave")
    assert not _problems(message="Colours my laptop came in:\n- Rose\n- Amber")
    product = {"properties": {"name": {"type": "string"}, "review": {"type": "string"}}}
    assert not record_problems(
        {"name": "Trail Tent 2", "review": "Dry and quick. Best regards, Sarah"}, text_roles(product)
    )
    # While a text is written it may end anywhere: "the best Jordan" is not yet a signature.
    (message,) = [r for r in text_roles(TICKET) if r.name == "message"]
    writing = {"customer_name": "David Moore", "device_type": "laptop", "status": "open"}
    assert lasting_problem("The laptop I bought is the best Jordan", message, writing) is None
    (thanked,) = _problems(message="Thanks for calling us about your laptop, David.")
    assert thanked.startswith("off-voice: a customer's text written as staff")
    assert not _problems(message="Thanks for calling me back about my laptop so quickly.")


def test_short_codes_are_matched_as_written() -> None:
    schema = {"properties": {"country": {"type": "string", "enum": ["UK", "US", "DE"]}, "note": {"type": "string"}}}
    roles = text_roles(schema)
    assert not record_problems({"country": "UK", "note": "Please let us know when the parcel ships."}, roles)
    assert record_problems({"country": "UK", "note": "It was sent from the US warehouse on Monday."}, roles)


def test_stock_sentences_drawn_as_values_are_judged_in_the_report_and_addresses_are_not() -> None:
    schema = {
        "properties": {
            "rating": {"type": "integer", "minimum": 1, "maximum": 5},
            "address": {"type": "string"},
            "review": {"type": "string", "enum": ["Really good, would buy again.", "Awful, it broke in a week.",
                                                   "Okay for the price, nothing more."]},
        }
    }  # fmt: skip
    columns = {
        "rating": [1, 5, 1],
        "address": ["12 Main Street Springfield", "4 Elm Road Leeds", "9 High Street Bath"],
        "review": ["Really good, would buy again.", "Really good, would buy again.", "Awful, it broke in a week."],
    }
    report = text_agreement(columns, schema)
    assert report["counts"] == {"disagrees": 1} and report["fields"] == ["address", "review"]


def test_the_quality_report_counts_topic_and_greeting_problems() -> None:
    columns = {
        "customer_name": ["David Moore", "Ann Lee", "Bo Chan"],
        "device_type": ["laptop", "router", "phone"],
        "message": [
            "Dear David, your laptop repair is booked for Monday and we will call.",
            "The laptop I bought last week will not start at all, please help.",
            "My phone drops every call since the update on Friday, please help.",
        ],
    }
    report = text_agreement(columns, TICKET)
    assert report["counts"] == {"off-voice": 1, "disagrees": 1}
    assert report["rates"]["agreement"] < 0.7 and report["rates"]["voice"] < 0.7


def test_steering_avoids_the_other_things_and_favours_the_records_own() -> None:
    schema = load_schema(TICKET)
    coupling = TextCoupling(schema, {}, ["message"])
    _, _, words = coupling.before({"device_type": "router", "customer_name": "Ann Lee"}, random.Random(0))
    steer = dict(words)
    assert steer["laptop"] < 0 and steer["phone"] < 0 and steer["router"] > 0


def test_slugs_and_number_strings_are_not_prose() -> None:
    assert junk_problem("Support-ticket-message-2-1824-01-22-9082 opened Monday at nine.").startswith("an identifier")
    assert junk_problem("12/03 09:14 - 14:22 - 77.5 - 88.1 - 19.0 x 3 done") == (
        "it is mostly numbers and symbols, not words"
    )
    assert junk_problem("My state-of-the-art router fails, call 1-800-555-0199 please.") is None
    assert junk_problem("Order #12345 on 2024-01-02 cost $45.99, please refund it.") is None
    for fine in ("The router's MAC is 00-1A-2B-3C-4D-5E and it keeps dropping.",
                 "Tracking 1Z-999-AA1-01-2345-6784 has not moved since Monday.",
                 "BP 142/91, HR 88, T 37.9, SpO2 94%, RR 22, BG 11.2, wt 82.4 kg."):  # fmt: skip
        assert junk_problem(fine) is None, fine


def test_the_business_speaking_of_the_customers_order_is_staff_voice() -> None:
    for text in ("Thank you for your order, it ships on Monday.", "Hi, I am looking at your support ticket now.",
                 "Your refund has been sent to the card on file."):  # fmt: skip
        assert _problems(message=text)[0].startswith("off-voice: a customer's text written as staff")
    assert not _problems(message="Your laptop model overheats and your refund policy is unclear to me.")
    assert _problems(message="Sorry for the inconveniences, please reach us by noon tomorrow.")
    assert _problems(message="We're sorry to hear the laptop failed again, we will call.")  # "we're", no space


def test_a_bio_that_speaks_of_its_person_as_another_gender_disagrees() -> None:
    """ "A father of a child" in Isadora Cassiano's bio; a first-person bio, a name of either gender and
    a bio with no gendered words pass."""
    profile = {"properties": {"full_name": {"type": "string"}, "gender": {"type": "string"}, "bio": {"type": "string"}}}
    roles = text_roles(profile)

    def kinds(**record: str) -> list[str]:
        return [p.kind for p in record_problems(record, roles)]

    assert kinds(full_name="Isadora Cassiano", bio="Journalist, co-founder of a startup and a father of a child.") == [
        "disagrees"
    ]
    assert kinds(full_name="John Morgan", bio="She is a freelance writer and DJ.") == ["disagrees"]
    assert kinds(full_name="Sam Lee", gender="female", bio="He coaches the local team.") == ["disagrees"]
    assert not kinds(full_name="Beth Hewitt", bio="Professional athlete known for her love of all sports.")
    assert not kinds(full_name="Isadora Cassiano", bio="My husband and I run a bakery; he bakes, I sell.")
    assert not kinds(full_name="Alex Kim", bio="He is a writer.")  # a name of either gender says nothing
    assert not kinds(full_name="Isadora Cassiano", bio="Freelance writer and DJ.")
    # Another person's name field, relatives, a shared job title and a couple's "we" decide nothing.
    manager = {
        "properties": {"manager_name": {"type": "string"}, "full_name": {"type": "string"}, "bio": {"type": "string"}}
    }
    assert not record_problems(
        {"manager_name": "John Smith", "full_name": "Mary Jones", "bio": "She leads the data team."},
        text_roles(manager),
    )
    assert not kinds(full_name="Mary Jones", bio="Loves Sunday hikes with dad and the dog.")
    assert not kinds(full_name="Mary Jones", bio="Stage actor and playwright based in Leeds.")
    assert not kinds(full_name="Mary Jones", bio="We love hiking; he cooks and I bake.")
    company = {"properties": {"contact_name": {"type": "string"}, "company_profile": {"type": "string"}}}
    assert not record_problems(
        {"contact_name": "Mary Jones", "company_profile": "Founded by John Acme; he still runs it."},
        text_roles(company),
    )
