"""manage.py train_risk_model: train a new version of the risk model."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from simi.accounts.models import User
from simi.core.errors import SimiError
from simi.screening.risk import training
from simi.screening.risk.features import label_of


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


class Command(BaseCommand):
    help = (
        "Train a new version of the risk model (L2 logistic regression) on SIMI's history: "
        "features up to a cutoff date, label (a violation recorded or a screening hit "
        "confirmed) in the following --horizon-days. Stored as a draft; --activate makes it "
        "the scoring model unless its test AUC is below the minimum. With --data auto "
        "(default) a history too thin to learn from is replaced by a clearly labelled "
        "SYNTHETIC history (fixed seed)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data",
            choices=["auto", "simi", "synthetic"],
            default="auto",
            help="simi: the register's own history; synthetic: invented demo history; "
            f"auto: simi unless it has fewer than {training.MIN_ROWS} rows, "
            f"{training.MIN_POSITIVES} of either outcome or {training.MIN_VARYING_FEATURES} "
            "features that vary before the cutoff.",
        )
        parser.add_argument(
            "--cutoff",
            type=date.fromisoformat,
            help="Features up to this date (YYYY-MM-DD), label after it; "
            "default today minus the horizon.",
        )
        parser.add_argument("--horizon-days", type=int, default=training.DEFAULT_HORIZON_DAYS)
        parser.add_argument("--threshold", type=float, default=0.5, help="Review threshold.")
        parser.add_argument("--l2", type=float, default=1.0, help="L2 penalty.")
        parser.add_argument("--synthetic-rows", type=int, default=3000)
        parser.add_argument("--by", default="", help="E-mail of the staff member training it.")
        parser.add_argument("--activate", action="store_true", help="Activate if good enough.")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = None
        if options["by"]:
            actor = User.objects.filter(email=options["by"]).first()
            if actor is None:
                raise CommandError(f"no user {options['by']}")
        if options["horizon_days"] < 1:
            raise CommandError("--horizon-days must be at least 1")
        dataset = None
        if options["data"] in ("auto", "simi"):
            own = training.simi_dataset(
                cutoff=options["cutoff"], horizon_days=options["horizon_days"]
            )
            self.stdout.write(
                f"SIMI history: {len(own.rows)} people, {own.positives} with the outcome "
                f"(cutoff {own.cutoff}, horizon {own.horizon_days} days); "
                f"{training.varying_features(own)} features vary before the cutoff."
            )
            if options["data"] == "simi" or not training.thin(own):
                dataset = own
            else:
                self.stdout.write(
                    self.style.WARNING(
                        "Too little own history to learn from: training on a SYNTHETIC "
                        "history instead (invented people, fixed seed; demo only)."
                    )
                )
        if dataset is None:
            dataset = training.synthetic_dataset(count=options["synthetic_rows"])
            self.stdout.write(
                self.style.WARNING(
                    f"SYNTHETIC history: {len(dataset.rows)} invented people, "
                    f"{dataset.positives} with the outcome. Not real data."
                )
            )
        try:
            model = training.risk_model_train(
                actor=actor, dataset=dataset, l2=options["l2"], threshold=options["threshold"]
            )
        except SimiError as exc:
            raise CommandError(str(exc.message)) from exc
        m = model.metrics
        self.stdout.write(
            f"Model {model.label} ({model.get_data_source_display()}): "
            f"trained on {m['train_rows']} rows, tested on {m['test_rows']} "
            f"({m['test_positives']} positive)."
        )
        self.stdout.write(
            f"  AUC {_pct(m['auc'])} | at threshold {model.review_threshold}: "
            f"precision {_pct(m['precision'])}, recall {_pct(m['recall'])}, "
            f"flagged {m['flagged']}"
        )
        for b in m["calibration"]:
            self.stdout.write(
                f"  scores {b['low']:.1f}-{b['high']:.1f}: {b['count']:>5} people, "
                f"predicted {b['predicted']:.3f}, observed {b['observed']:.3f}"
            )
        for name, coefficient in zip(model.feature_names, model.coefficients, strict=True):
            self.stdout.write(f"  {coefficient:+.3f}  {label_of(name)}")
        if not options["activate"]:
            self.stdout.write("Stored as a draft; run again with --activate to use it.")
            return
        try:
            training.risk_model_activate(actor=actor, model=model)
        except SimiError as exc:
            self.stdout.write(self.style.ERROR(f"Not activated: {exc.message}"))
            raise CommandError("activation refused") from exc
        self.stdout.write(self.style.SUCCESS(f"Model {model.label} is now active."))
