"""Transliteration variants of Arabic-Indonesian given names, as data.

Each group lists spellings of one name that Indonesian and Malay records use
interchangeably; the first spelling is the canonical one. Only groups whose
equivalence is uncontroversial are listed: a wrong group merges different
people, a missing one only costs some recall (the typo scorer still helps).
"""

from __future__ import annotations

SOURCE = (
    "Compiled for SIMI from common Indonesian civil-registry spellings of Arabic "
    "names (Muhammad, Abdul, Ahmad, Nur, ...); reviewed against the EYD 1972 spelling "
    "rules in the Pedoman Umum Ejaan Bahasa Indonesia. Extend by adding a group."
)

NAME_VARIANTS: dict[str, tuple[str, ...]] = {
    "muhammad": (
        "muhammad",
        "mohammad",
        "mohammed",
        "muhammed",
        "mohamad",
        "muhamad",
        "mohamed",
        "muhamed",
        "mohd",
        "moh",
        "muh",
        "mhd",
        "mochammad",
        "mochamad",
        "muchammad",
        "muchamad",
    ),
    "abdul": ("abdul", "abd", "abdoel", "abdu"),
    "abdullah": ("abdullah", "abdulah", "abdallah", "abdoellah"),
    "ahmad": ("ahmad", "achmad", "akhmad", "ahmed", "achmed"),
    "nur": ("nur", "noor", "nor", "nour", "noer"),
    "rahman": ("rahman", "rachman", "rakhman", "rohman", "rochman"),
    "rahim": ("rahim", "rachim", "rakhim", "rohim"),
    "hasan": ("hasan", "hassan", "hasaan"),
    "husein": ("husein", "husain", "hussein", "hussain", "husin", "hoesein"),
    "yusuf": ("yusuf", "yusof", "yousuf", "yousef", "yoesoef"),
    "ibrahim": ("ibrahim", "ebrahim", "ibrohim"),
    "ismail": ("ismail", "ismael"),
    "aisyah": ("aisyah", "aisah", "aishah", "aisha", "aisjah"),
    "fatimah": ("fatimah", "fatima", "fatmah"),
    "siti": ("siti", "sitti"),
    "zainal": ("zainal", "zainul", "zaenal"),
    "khairul": ("khairul", "khoirul"),
    "syarifuddin": ("syarifuddin", "sjarifuddin", "syarifudin", "sarifudin"),
    "umar": ("umar", "omar", "oemar"),
    "usman": ("usman", "utsman", "othman", "osman", "oesman"),
}
