"""The applications API, one router per audience: public tracking
(``tracking``), the applicant's own applications (``applicant``) and the
officer workflow (``staff``). simi/api.py adds them, tracking first."""
