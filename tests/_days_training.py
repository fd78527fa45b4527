"""Conversations across days about routines, training talk and shoes (tests/conversations/
test_conversations_across_days.py runs them)."""

from __future__ import annotations

from _conversations import (
    KM_PER_MILE,
    LAUNCH,
    W47_MON,
    W47_SUN,
    W47_THU,
    W47_TUE,
    W48_FRI,
    W48_MON,
    W48_TUE,
    W48_WED,
    Conversation,
    Day,
    Turn,
    week_km,
    weeks,
)

TRAINING = [
    # ---- routines: every navigation word, and the resume offer on the next launch -------------
    Conversation(
        "stretches paused, stopped for today, picked up tomorrow",
        [
            Day(
                W48_MON,
                [
                    Turn(LAUNCH, "LaunchRequest"),
                    Turn("can we do my stretches", "StartRoutineIntent", mode="routine"),
                    Turn("gimme a sec", "AMAZON.PauseIntent", "routine.paused", mode="routine"),
                    Turn("ok ready again", "AMAZON.ResumeIntent", mode="routine"),
                    Turn("done with that one", "AMAZON.NextIntent", mode="routine"),
                    Turn("how much longer is this going to take", "TimeLeftIntent"),
                    Turn("i'm done for today", "FinishForTodayIntent", mode="ended"),
                ],
            ),
            Day(
                W48_TUE,
                [
                    Turn(LAUNCH, "LaunchRequest", "routine.resume_offer", mode="resume_offer"),
                    Turn("yes please", "AMAZON.YesIntent", "routine.resume_saved", mode="routine"),
                ],
            ),
        ],
        stored=lambda r: r["routine"]["id"] == "stretch",
    ),
    Conversation(
        "strength from the top, skipped, back one, enough for today, declined next day (en-GB)",
        [
            Day(
                W48_MON,
                [
                    Turn(LAUNCH, "LaunchRequest"),
                    Turn("let's do some strength work", "StartRoutineIntent", mode="routine"),
                    Turn("next", "AMAZON.NextIntent"),
                    Turn(
                        "let's go again from the top",
                        "AMAZON.StartOverIntent",
                        "routine.start_over",
                        mode="routine",
                    ),
                    Turn("how many more have i got", "TimeLeftIntent", mode="routine"),
                    Turn("skip that one", "SkipIntent", mode="routine"),
                    Turn("go back one", "AMAZON.PreviousIntent", mode="routine"),
                    Turn("right that's enough for today", "FinishForTodayIntent", mode="ended"),
                ],
                locale="en-GB",
            ),
            Day(
                W48_WED,
                [
                    Turn(LAUNCH, "LaunchRequest", "routine.resume_offer", mode="resume_offer"),
                    Turn("no not today", "AMAZON.NoIntent", "routine.resume_declined", mode="idle"),
                ],
                locale="en-GB",
            ),
            Day(
                W48_FRI,
                [Turn(LAUNCH, "LaunchRequest", not_key="routine.resume_offer", mode="idle")],
                locale="en-GB",
            ),
        ],
        stored=lambda r: r["routine"].get("declined") is True,
    ),
    Conversation(
        "warm-up held, carried on, previous, stopped; 'continue' the next day",
        [
            Day(
                W47_THU,
                [
                    Turn(LAUNCH, "LaunchRequest"),
                    Turn("warm me up", "StartRoutineIntent", mode="routine"),
                    Turn("hold on a sec", "AMAZON.PauseIntent", "routine.paused"),
                    Turn("right i'm back", "AMAZON.ResumeIntent", "routine.resume_in_session"),
                    Turn("finished this one", "AMAZON.NextIntent"),
                    Turn("can we go back a bit", "AMAZON.PreviousIntent", mode="routine"),
                    Turn("stop", "AMAZON.StopIntent", mode="ended"),
                ],
            ),
            Day(
                W47_SUN,
                [
                    Turn(LAUNCH, "LaunchRequest", "routine.resume_offer"),
                    Turn("continue", "AMAZON.ResumeIntent", "routine.resume_saved", mode="routine"),
                ],
            ),
        ],
    ),
    Conversation(
        "'carry on then' after the offer; how long's left; done with this one moves on (en-GB)",
        [
            Day(
                W48_MON,
                [
                    Turn(LAUNCH, "LaunchRequest"),
                    Turn("take me through my hip stretches", "StartRoutineIntent"),
                    Turn("that's me done for today", "FinishForTodayIntent", mode="ended"),
                ],
                locale="en-GB",
            ),
            Day(
                W48_TUE,
                [
                    Turn(LAUNCH, "LaunchRequest", "routine.resume_offer"),
                    Turn("carry on then", "AMAZON.ResumeIntent", mode="routine"),
                    Turn("how long's left", "TimeLeftIntent", mode="routine"),
                    Turn("i'm done with this one", "AMAZON.NextIntent", mode="routine"),
                    Turn("half a mo", "AMAZON.PauseIntent", "routine.paused"),
                    Turn("off we go", "AMAZON.ResumeIntent", mode="routine"),
                ],
                locale="en-GB",
            ),
        ],
    ),
    Conversation(
        "start over: the routine in one, or offered one; else the hip check",
        [
            Day(
                W48_MON,
                [
                    Turn(LAUNCH, "LaunchRequest"),
                    Turn("let's do my warm up", "StartRoutineIntent", mode="routine"),
                    Turn("from the top please", "AMAZON.StartOverIntent", "routine.start_over"),
                    Turn("i have to go", "FinishForTodayIntent", mode="ended"),
                ],
            ),
            Day(
                W48_TUE,
                [
                    Turn(LAUNCH, "LaunchRequest", "routine.resume_offer"),
                    Turn("no thanks", "AMAZON.NoIntent", "routine.resume_declined"),
                    Turn("start over", "AMAZON.StartOverIntent", mode="interview"),
                ],
            ),
            Day(
                W48_WED,
                [
                    Turn(LAUNCH, "LaunchRequest"),
                    Turn("let's do my warm up", "StartRoutineIntent", mode="routine"),
                    Turn("i've got to run", "FinishForTodayIntent", mode="ended"),
                ],
            ),
            Day(
                W48_FRI,
                [
                    Turn(LAUNCH, "LaunchRequest", "routine.resume_offer"),
                    Turn(
                        "let's start it again",
                        "AMAZON.StartOverIntent",
                        "routine.start_over",
                        mode="routine",
                    ),
                ],
            ),
        ],
    ),
    # ---- training talk: dates, the week before, the 10% rule, units --------------------------
    Conversation(
        "twenty miles one week, forty the next: double, the rule and the figure",
        [
            Day(W47_SUN, [Turn("i ran 20 miles this week", "LogRunIntent")]),
            Day(
                W48_FRI,
                [
                    Turn(
                        "i've done 40 miles this week",
                        "LogRunIntent",
                        "memory.jump_double_last_week",
                        values={"last": "20 miles", "cap": "22 miles"},
                    )
                ],
            ),
        ],
        stored=lambda r: abs(week_km(r, "2026-W48") - 40 * KM_PER_MILE) < 0.01,
    ),
    Conversation(
        "kilometres in en-GB: thirty last week, forty-five so far this week",
        [
            Day(
                W48_WED,
                [
                    Turn(
                        "last week i did 30 kilometres", "LogRunIntent", "memory.ten_percent_safe"
                    ),
                    Turn(
                        "so far this week i've run 45k",
                        "LogRunIntent",
                        "memory.jump_pct_last_week",
                        values={"pct": "50", "cap": "33 kilometres"},
                    ),
                ],
                locale="en-GB",
            ),
        ],
    ),
    Conversation(
        "a 10k yesterday is yesterday's, in last week; a run this morning is today's",
        [
            Day(
                W48_MON,
                [
                    Turn("i did a 10k yesterday", "LogRunIntent", values={"when": "yesterday"}),
                    Turn("went for a 6 mile run this morning", "LogRunIntent"),
                ],
            ),
        ],
        stored=lambda r: (
            r["training"]["weeks"]["2026-W47"]["runs"] == [{"date": W47_SUN, "km": 10.0}]
            and abs(week_km(r, "2026-W48") - 6 * KM_PER_MILE) < 0.01
        ),
    ),
    Conversation(
        "a run on Sunday, logged on Tuesday, lands on Sunday (en-GB)",
        [
            Day(
                W48_TUE,
                [
                    Turn(
                        "i ran 12 k on sunday",
                        "LogRunIntent",
                        "memory.logged_run",
                        values={"when": "on Sunday"},
                    )
                ],
                locale="en-GB",
            )
        ],
        stored=lambda r: r["training"]["weeks"]["2026-W47"]["runs"][0]["date"] == W47_SUN,
    ),
    Conversation(
        "eighteen miles this week: next week's cap counts from this week",
        [
            Day(W48_MON, [Turn("i ran 8 miles today", "LogRunIntent")]),
            Day(W48_WED, [Turn("just did 10 miles", "LogRunIntent")]),
            Day(
                W48_FRI,
                [
                    Turn(
                        "how much can i run next week",
                        "PlanWeekIntent",
                        "memory.plan_next_week_from_this_week",
                        values={"base": "18 miles", "safe": "19.5 miles"},
                    )
                ],
            ),
        ],
    ),
    Conversation(
        "forty miles next week after thirty this week is too much",
        [
            Day(W48_MON, [Turn("i ran 30 miles this week", "LogRunIntent")]),
            Day(
                W48_FRI,
                [
                    Turn(
                        "would 40 miles next week be too much",
                        "PlanWeekIntent",
                        "memory.plan_too_much",
                        values={"safe": "33 miles"},
                    ),
                    Turn(
                        "what about 32 miles next week",
                        "PlanWeekIntent",
                        "memory.plan_ok",
                    ),
                ],
            ),
        ],
    ),
    Conversation(
        "an en-US runner who speaks kilometres hears kilometres",
        [
            Day(W47_SUN, [Turn("i ran 40 km this week", "LogRunIntent")]),
            Day(
                W48_WED,
                [
                    Turn(
                        "how far can i go this week",
                        "PlanWeekIntent",
                        "memory.plan_this_week_from_last_week",
                        values={"base": "40 kilometers", "safe": "44 kilometers"},
                    )
                ],
            ),
        ],
    ),
    Conversation(
        "the 10% rule for a week the runner names, from the rules, in their unit",
        [
            Day(
                W48_MON,
                [
                    Turn(
                        "if i did 20 miles last week how much more can i do",
                        "MileageAdviceIntent",
                        "interview.mileage_with_distance",
                        values={"safe": "22", "unit": "miles"},
                    )
                ],
            ),
            Day(
                W48_TUE,
                [
                    Turn(
                        "i'm doing 50 k a week how much more can i do",
                        "MileageAdviceIntent",
                        "interview.mileage_with_distance",
                        values={"safe": "55"},
                    )
                ],
                locale="en-GB",
            ),
        ],
    ),
    # ---- shoes ---------------------------------------------------------------------------
    Conversation(
        "four hundred miles on the shoes: the count is kept, the window is in miles (en-US)",
        [
            Day(
                W48_MON,
                [
                    Turn(
                        "my shoes have got about 400 miles on them",
                        "ShoeMilesIntent",
                        "memory.shoes_due",
                    )
                ],
            ),
            Day(W48_TUE, [Turn("ran 5 miles today", "LogRunIntent")]),
            Day(
                W48_FRI,
                [
                    Turn(
                        "are my shoes still ok",
                        "ShoeWearIntent",
                        "memory.shoes_distance",
                        not_key="memory.shoes_window_km",
                        values={"distance": "405 miles"},
                    )
                ],
            ),
        ],
        stored=lambda r: abs(r["shoes"]["base_km"] - 400 * KM_PER_MILE) < 0.01,
    ),
    Conversation(
        "trainers at about 600k (en-GB): kilometres, and the window in both",
        [
            Day(
                W48_MON,
                [
                    Turn(
                        "my trainers have done about 600k",
                        "ShoeMilesIntent",
                        "memory.shoes_window_km",
                    ),
                    Turn("do i need new trainers", "ShoeWearIntent", "memory.shoes_due"),
                ],
                locale="en-GB",
            )
        ],
        stored=lambda r: r["shoes"]["base_km"] == 600 and "training" not in r,
    ),
    Conversation(
        "new shoes last week count last week's runs",
        [
            Day(W47_TUE, [Turn("i ran 6 miles today", "LogRunIntent")]),
            Day(W47_THU, [Turn("i ran 4 miles today", "LogRunIntent")]),
            Day(
                W48_WED,
                [
                    Turn("i got new shoes last week", "NewShoesIntent", "memory.shoes_new_earlier"),
                    Turn(
                        "how many miles are on my shoes now",
                        "ShoeWearIntent",
                        "memory.shoes_distance",
                        values={"distance": "10 miles"},
                    ),
                ],
            ),
        ],
        stored=lambda r: r["shoes"]["since"] == W47_MON and r["shoes"]["since_exact"] is False,
    ),
    Conversation(
        "asked about the shoes, 'about 600 kilometres' is their count, never a run (en-GB)",
        [
            Day(
                W48_MON,
                [
                    Turn(
                        "how worn out are my trainers",
                        "ShoeWearIntent",
                        "memory.shoes_unknown",
                        mode="shoe_question",
                    ),
                    Turn("about 600 kilometres", "LogRunIntent", "memory.shoes_set"),
                ],
                locale="en-GB",
            )
        ],
        stored=lambda r: r["shoes"]["base_km"] == 600 and not weeks(r),
    ),
]
