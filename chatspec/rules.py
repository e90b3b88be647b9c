"""The API's own input rules, written once: sizes, character classes, reaction bounds.

Templates read them as `$rules.<name>` (`chatspec.templates` prepends the map to every
template that uses it), the Lambdas and tests import them from here, so AppSync and the
emulator apply the same numbers and the same regular expressions.

Regular expressions are written for Java's `java.util.regex` (AppSync's engine) with
nothing newer than Java 7: explicit `\\x{...}` code point ranges, no `\\X`, no Unicode
property classes. The character sets are therefore data here, not the JVM's Unicode
tables, so AppSync and the emulator (which translates `\\x{...}`, see
`emulator.vtl.java.java_regex`) decide every code point the same way.

Plain data: no pulumi, no boto3.
"""

from __future__ import annotations

from chatspec.aws_limits import (
    COGNITO_SUB_LENGTH,
    DYNAMODB_BATCH_GET_ITEMS,
    DYNAMODB_TRANSACTION_ITEMS,
    SUBSCRIPTION_FILTER_GROUPS,
    SUBSCRIPTION_IN_VALUES,
)

ID_MAX_LENGTH = 128
"""Every ID argument (roomId, messageId, userId, replyTo, memberIds, userIds): at most this
many characters. 128 characters are at most 512 UTF-8 bytes, inside DynamoDB's 1,024-byte
sort key and 2,048-byte partition key limits, with room for composite keys (see
`KEY_COMPOSITIONS`); real ids are 26 (ULID) to 80 (DIRECT room) characters."""

CLIENT_MESSAGE_ID_MAX_LENGTH = 128
CONTENT_MAX_LENGTH = 4000
NAME_MAX_LENGTH = 100
DESCRIPTION_MAX_LENGTH = 1000
CUSTOM_STATUS_MAX_LENGTH = 100
REASON_MAX_LENGTH = 500
"""A report's reason and a moderator's reason for an action (`reason` arguments)."""

MAX_DISTINCT_REACTIONS = 20
"""Different emoji on one message."""
MAX_REACTORS_PER_EMOJI = 400
"""Users reacting with one emoji on one message. With `MAX_DISTINCT_REACTIONS` this bounds
the reactions map; `tests/contract/test_item_sizes.py` proves the largest message item
stays under DynamoDB's item size limit."""
MAX_REACTOR_ID_LENGTH = COGNITO_SUB_LENGTH.value
"""A message's reactions hold each reacting user's id, which is a Cognito sub (backends do
not react); addReaction refuses a longer caller id so the bound holds whatever Cognito does."""

EMOJI_MAX_ELEMENTS = 5
"""Pictographs joined by ZERO WIDTH JOINER in one reaction (families have 4)."""
EMOJI_MAX_TAGS = 8
"""Tag characters in a subdivision flag (England is 5: g b e n g)."""

PAGE_LIMIT_MAX = 100
"""Every paged query (`limit`): 1 to this many items, `ValidationError` outside
(docs/CONTRIBUTING.md, "Pagination"); templates read it as `$rules.maxPageLimit`, the
Lambdas import it (`functions.common.pagination`, `functions.search.request`)."""
PAGE_LIMIT_DEFAULT = 20

ROOM_RANKS: dict[str, int] = {"OWNER": 4, "ADMIN": 3, "MODERATOR": 2, "MEMBER": 1}
"""A member's role as a rank (0: none or banned). The access decision and the moderation
check compare ranks read from `$rules.ranks`."""

GET_PRESENCE_MAX_USER_IDS = DYNAMODB_BATCH_GET_ITEMS.value
"""getPresence reads every id in one BatchGetItem."""
PRESENCE_SUBSCRIPTION_MAX_USER_IDS = SUBSCRIPTION_FILTER_GROUPS.value * SUBSCRIPTION_IN_VALUES.value
"""onPresenceChanged puts its ids into `in` filters of 5 values, one per filter group."""
CREATE_ROOM_MAX_MEMBER_IDS = DYNAMODB_TRANSACTION_ITEMS.value - 2
"""createRoom writes room + owner + members in one transaction."""
DISPLAY_NAME_MAX_LENGTH = 64
"""A profile's display name: 1..64 characters after trimming, with the content rules."""
STATUS_TEXT_MAX_LENGTH = 140
"""A profile's status text: at most 140 characters; empty clears it."""
GET_USERS_MAX_IDS = DYNAMODB_BATCH_GET_ITEMS.value
"""getUsers reads every profile in one BatchGetItem."""
PROFILE_BATCH_SIZE = DYNAMODB_BATCH_GET_ITEMS.value
"""maxBatchSize of Message.author and RoomMember.user: a batch holds at most this many
fields, so its distinct users fit one BatchGetItem (AppSync allows up to 2,000)."""
UPLOAD_FILE_NAME_MAX_LENGTH = 255
"""createUpload's fileName: 1..255 characters (what common file systems allow), with the
content rules (not blank, no control characters); it never reaches the object key."""
UPLOAD_POST_EXPIRY_SECONDS = 300
"""A presigned POST is valid for five minutes: long enough to start one upload."""
UPLOAD_PENDING_SECONDS = 24 * 60 * 60
"""An upload record nothing claims (a message, a profile, a room) expires (TTL `expiresAt`)
after a day; DynamoDB deletes it some time later (typically within two days) and the deletion
reaches the uploads stream as a TTL removal, on which the file check deletes the object and
its thumbnail (`chatspec.lambdas.TTL_REMOVALS`). Claiming an upload removes `expiresAt`, so an
attached file or an avatar is never cleaned up this way; no bucket rule expires current
objects (a prefix rule cannot tell the two apart)."""
UPLOAD_KEY_PREFIX = "uploads/"
"""Every object key is `uploads/<uploadId>`: chosen by the server, never by the client."""
THUMBNAIL_KEY_PREFIX = "thumbnails/"
"""Thumbnails are `thumbnails/<uploadId>.png`, outside the prefix the check is notified of."""
CHECKED_KEY_PREFIX = "files/"
"""The file as checked: `files/<uploadId>`, the check's own copy of the exact bytes it
checked (and GuardDuty scanned), the only copy ever served. Clients POST to `uploads/` only,
and a presigned POST stays valid for minutes after the check: a file POSTed there again
replaces that object, never this one (`functions.filecheck.check`)."""
AVATAR_MAX_BYTES = 5 * 1024 * 1024
"""A room or user avatar: at most 5 MiB (the room's maxFileSizeBytes, if lower, wins)."""
AVATAR_CONTENT_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")
"""Avatars are images; the room's allowedContentTypes do not widen this."""
UPLOAD_PURPOSES = ("MESSAGE_ATTACHMENT", "ROOM_AVATAR", "USER_AVATAR")
MAX_ATTACHMENTS = 10
"""Uploads one message carries: each is one more action in sendMessage's transaction."""
DOWNLOAD_URL_EXPIRY_SECONDS = 15 * 60
"""Attachment URLs (presigned GETs) live 15 minutes; a client refetches the page for more."""
ATTACHMENT_BATCH_SIZE = DYNAMODB_BATCH_GET_ITEMS.value
"""maxBatchSize of Message.attachments: one invocation signs a page's URLs."""
IMAGE_URL_BATCH_SIZE = PAGE_LIMIT_MAX
"""maxBatchSize of the avatar and banner URL fields (UserProfile.avatarUrl, Room.bannerUrl,
...): one invocation signs a page's URLs. They read nothing (the parent carries the upload
id), so only the largest page bounds a batch."""
AVATAR_CLAIM = "profile"
"""`claimedFor` of the upload that is a user's avatar; a room image's is its setting's name
(`avatarUploadId`, `bannerUploadId`). See `functions/common/uploads.py` for the claim."""

# Code point ranges, inclusive. INVISIBLE: the general categories Zs, Zl, Zp, Cc and Cf of
# Unicode 14.0 (Python 3.11's unicodedata), every Default_Ignorable_Code_Point (Hangul
# fillers, variation selectors, tags; DerivedCoreProperties.txt) and U+2800 BRAILLE
# PATTERN BLANK, which renders as nothing. A text made only of these is blank.
INVISIBLE_RANGES: tuple[tuple[int, int], ...] = (
    (0x0000, 0x0020),
    (0x007F, 0x00A0),
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x0600, 0x0605),
    (0x061C, 0x061C),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x115F, 0x1160),
    (0x1680, 0x1680),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x2000, 0x200F),
    (0x2028, 0x202F),
    (0x205F, 0x206F),
    (0x2800, 0x2800),
    (0x3000, 0x3000),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x13438),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)
INVISIBLE_UNICODE_VERSION = "14.0.0"
DEFAULT_IGNORABLE_RANGES: tuple[tuple[int, int], ...] = (
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)
"""Default_Ignorable_Code_Point (Unicode 14.0 DerivedCoreProperties.txt); part of INVISIBLE."""
INVISIBLE_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf"})
EXTRA_INVISIBLE = (0x2800,)

# Control characters a text may not hold at all: Cc except TAB and LINE FEED.
REFUSED_CONTROL_RANGES: tuple[tuple[int, int], ...] = (
    (0x0000, 0x0008),
    (0x000B, 0x001F),
    (0x007F, 0x009F),
)

# Pictographs that start an emoji or a ZWJ element: Extended_Pictographic (emoji-data.txt)
# as ranges, plus the regional indicators and skin-tone modifiers of 1F1E6..1F1FF and
# 1F3FB..1F3FF, which lie in the 1F000..1FAFF block.
PICTOGRAPH_RANGES: tuple[tuple[int, int], ...] = (
    (0x00A9, 0x00A9),
    (0x00AE, 0x00AE),
    (0x203C, 0x203C),
    (0x2049, 0x2049),
    (0x2122, 0x2122),
    (0x2139, 0x2139),
    (0x2194, 0x2199),
    (0x21A9, 0x21AA),
    (0x231A, 0x231B),
    (0x2328, 0x2328),
    (0x2388, 0x2388),
    (0x23CF, 0x23CF),
    (0x23E9, 0x23F3),
    (0x23F8, 0x23FA),
    (0x24C2, 0x24C2),
    (0x25AA, 0x25AB),
    (0x25B6, 0x25B6),
    (0x25C0, 0x25C0),
    (0x25FB, 0x25FE),
    (0x2600, 0x27BF),
    (0x2934, 0x2935),
    (0x2B05, 0x2B07),
    (0x2B1B, 0x2B1C),
    (0x2B50, 0x2B50),
    (0x2B55, 0x2B55),
    (0x3030, 0x3030),
    (0x303D, 0x303D),
    (0x3297, 0x3297),
    (0x3299, 0x3299),
    (0x1F000, 0x1FAFF),
)


def code_point(value: int) -> str:
    """One code point as a Java regex escape (`\\x{1F600}`)."""
    return f"\\x{{{value:X}}}"


def character_class(ranges: tuple[tuple[int, int], ...], negated: bool = False) -> str:
    """A Java character class of the ranges, e.g. `[\\x{0}-\\x{20}\\x{AD}]`."""
    parts = [
        code_point(low) if low == high else f"{code_point(low)}-{code_point(high)}"
        for low, high in ranges
    ]
    return ("[^" if negated else "[") + "".join(parts) + "]"


def _emoji_pattern() -> str:
    pictograph = character_class(PICTOGRAPH_RANGES)
    modifier = f"(?:{code_point(0xFE0F)}|[{code_point(0x1F3FB)}-{code_point(0x1F3FF)}])"
    element = f"{pictograph}{modifier}?"
    zwj = code_point(0x200D)
    sequence = f"{element}(?:{zwj}{element}){{0,{EMOJI_MAX_ELEMENTS - 1}}}"
    keycap = f"[0-9#*]{code_point(0xFE0F)}?{code_point(0x20E3)}"
    tags = (
        f"{code_point(0x1F3F4)}[{code_point(0xE0020)}-{code_point(0xE007E)}]"
        f"{{1,{EMOJI_MAX_TAGS}}}{code_point(0xE007F)}"
    )
    return f"(?:{keycap}|{tags}|{sequence})"


BLANK_PATTERN = character_class(INVISIBLE_RANGES) + "*"
"""Matches (whole-string, like Java's `String.matches`) a text that is blank."""
NO_REFUSED_CONTROL_PATTERN = character_class(REFUSED_CONTROL_RANGES, negated=True) + "*"
"""Matches a text free of refused control characters (newline and tab are allowed)."""
EMOJI_PATTERN = _emoji_pattern()
"""One emoji: a keycap, a subdivision flag (tag sequence), or up to 5 pictographs, each
with an optional VS16 or skin tone, joined by ZERO WIDTH JOINER."""
FLAG_PATTERN = f"[{code_point(0x1F1E6)}-{code_point(0x1F1FF)}]{{2}}"
"""A country flag: two regional indicators."""
REACTION_PATTERN = f"(?:{FLAG_PATTERN}|{EMOJI_PATTERN})"
"""What addReaction and removeReaction accept as `emoji` (whole-string match)."""

SINGLE_LINE_PATTERN = character_class(((0x0000, 0x001F), (0x007F, 0x009F)), negated=True) + "*"
"""Matches a text without any control character (no newline, no tab): a room's topic."""

MAX_MENTIONS = 20
"""Users one message mentions: each is a membership update and a mention item in the
send transaction, so 20 keep it at 44 of DynamoDB's 100 actions."""

POLL_MIN_OPTIONS = 2
POLL_MAX_OPTIONS = 10
POLL_QUESTION_MAX_LENGTH = 300
POLL_OPTION_MAX_LENGTH = 100
POLL_MAX_OPEN_DAYS = 365
"""A poll's closesAt lies at most this far ahead."""
POLL_OPTION_ID_LENGTH = 3
"""Option ids are `o1`..`o10`: the message item's vote counts are keyed by them, so its size
is bounded by the option count whatever the number of voters (votes are items of their
own in `poll_votes`)."""

ANONYMOUS_AUTHOR_ID = "anonymous"
"""The authorId an anonymous post shows to whoever may not see its author (mutation results,
hence every subscription payload; reads by members below moderator who did not write it).
It is no possible Cognito sub (a UUID) nor a backend's `iam:` id, so it names nobody."""

KEY_COMPOSITIONS: dict[str, tuple[str, ...]] = {
    "idempotency.idempotencyKey": ("roomId", "incarnation", "callerId", "clientMessageId"),
    "poll_votes.pollKey": ("roomId", "messageId"),
}
"""Keys built from several values: each part's maximum length bounds the key's size."""

MAX_CALLER_ID_LENGTH = 4 + 128
"""`iam:<role name>` (IAM role names: at most 64; user names 64) or a Cognito sub (36)."""
INCARNATION_LENGTH = 36
"""A room incarnation is `$util.autoId()`, a UUID."""


def template_rules() -> dict[str, object]:
    """What templates see as `$rules`."""
    from chatspec.room_settings import IMAGE_SETTINGS  # it imports this module

    return {
        "maxIdLength": ID_MAX_LENGTH,
        "maxClientMessageIdLength": CLIENT_MESSAGE_ID_MAX_LENGTH,
        "maxContentLength": CONTENT_MAX_LENGTH,
        "maxNameLength": NAME_MAX_LENGTH,
        "maxDescriptionLength": DESCRIPTION_MAX_LENGTH,
        "maxCustomStatusLength": CUSTOM_STATUS_MAX_LENGTH,
        "maxReasonLength": REASON_MAX_LENGTH,
        "maxDistinctReactions": MAX_DISTINCT_REACTIONS,
        "maxReactorsPerEmoji": MAX_REACTORS_PER_EMOJI,
        "maxReactorIdLength": MAX_REACTOR_ID_LENGTH,
        "maxPageLimit": PAGE_LIMIT_MAX,
        "ranks": ROOM_RANKS,
        "maxGetPresenceIds": GET_PRESENCE_MAX_USER_IDS,
        "maxPresenceSubscriptionIds": PRESENCE_SUBSCRIPTION_MAX_USER_IDS,
        "presenceIdsPerGroup": SUBSCRIPTION_IN_VALUES.value,
        "maxCreateMemberIds": CREATE_ROOM_MAX_MEMBER_IDS,
        "maxDisplayNameLength": DISPLAY_NAME_MAX_LENGTH,
        "maxStatusTextLength": STATUS_TEXT_MAX_LENGTH,
        "maxAttachments": MAX_ATTACHMENTS,
        "avatarClaim": AVATAR_CLAIM,
        "maxRoomImages": len(IMAGE_SETTINGS),
        "maxImageUploadReads": 2 * len(IMAGE_SETTINGS),
        "blank": BLANK_PATTERN,
        "noRefusedControl": NO_REFUSED_CONTROL_PATTERN,
        "reaction": REACTION_PATTERN,
        "singleLine": SINGLE_LINE_PATTERN,
        "anonymousAuthorId": ANONYMOUS_AUTHOR_ID,
        "maxMentions": MAX_MENTIONS,
        "minPollOptions": POLL_MIN_OPTIONS,
        "maxPollOptions": POLL_MAX_OPTIONS,
        "maxPollQuestionLength": POLL_QUESTION_MAX_LENGTH,
        "maxPollOptionLength": POLL_OPTION_MAX_LENGTH,
        "maxPollOpenDays": POLL_MAX_OPEN_DAYS,
    }
