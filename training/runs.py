"""Where fine-tuning runs and cached readings live, and the shipped recipes.

Plain data, no torch: ``make eval`` and ``training.train`` run in the app's virtualenv.
"""

from pathlib import Path

RUNS = Path(__file__).with_name("runs")  # ignored by git
# The shipped recipes (the model card's), each flag overridable on the command line.
RECIPES = {
    "verifier": {"epochs": 3, "lr": 5e-5, "batch": 32, "max_len": 128, "extra_claims": 0},
    "opinion": {"epochs": 4, "lr": 3e-5, "batch": 16, "max_len": 96, "extra_claims": 6000},
}
MAX_TOKENS = {task: recipe["max_len"] for task, recipe in RECIPES.items()}
