"""What the runner did on a turn: the vocabulary the policy table is keyed by (with the mode)."""

from __future__ import annotations

from enum import StrEnum


class Act(StrEnum):
    """What the runner did."""

    LAUNCHED = "launched"
    ANSWERED = "answered"  # answered the pending question (or the one the mode waits for)
    VOLUNTEERED = "volunteered"  # told a finding no question asked for
    RED_FLAG = "red_flag"  # told a warning sign: acted on in every mode, on the turn it is said
    ASKED = "asked"  # asked a question the skill has an answer for
    UNANSWERABLE = "unanswerable"  # asked something the seeds cannot answer
    CANNOT_DO = "cannot_do"  # asked for something the skill cannot do (reminders, timers)
    THANKED = "thanked"  # thanks said to close ("okay, thanks", "cool, cheers")
    CORRECTED = "corrected"  # corrected what they said: the new value replaces the old
    REPEAT = "repeat"
    HELP = "help"
    STOPPED = "stopped"
    START_OVER = "start_over"
    WHY = "why"
    YES = "yes"
    NO = "no"
    MORE = "more"
    START_CHECK = "start_check"
    START_ROUTINE = "start_routine"
    RESUME_ROUTINE = "resume_routine"
    CARRY_ON = "carry_on"  # "continue" with nothing pending
    HOLD = "hold"  # "sorry, my dog's barking, one sec": a moment asked for outside a routine
    NAVIGATE = "navigate"  # next, pause, skip... in a routine
    HURTS = "hurts"  # "ow, that hurts" during a routine
    STRETCH_FELT = "stretch_felt"  # "it's a good stretch", "I can feel it pulling": no pain
    MEMORY = "memory"  # log a run, plan a week, shoes, what do you know
    PROGRESS = "progress"  # how the hip is since the last check
    DELETE = "delete"
    NOT_UNDERSTOOD = "not_understood"
    SESSION_ENDED = "session_ended"
    OTHER_REQUEST = "other_request"
