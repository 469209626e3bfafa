"""What the ViX-Ray dataset card and its Hugging Face metadata publish, for comparison with what we compute."""
from __future__ import annotations

HUB_ID = "MilitaryHospital175/VNMedical_bv175"
PAPER = "arXiv:2603.15513"
TITLE = "ViX-Ray: A Vietnamese Chest X-Ray Dataset for Vision-Language Models"
#: The card's YAML metadata says one license, its text another; the card flags the mismatch.
LICENSE_YAML = "cc-by-nc-4.0"
LICENSE_TEXT = "CC BY-NC-SA 4.0"
#: Declared `num_examples` per split (the middle split is named `val`).
SPLIT_SIZES: dict[str, int] = {"train": 4320, "val": 540, "test": 540}
#: Mean report length in "tokens" (tokenizer not stated), per (split, field).
TOKEN_MEANS: dict[tuple[str, str], float] = {
    ("train", "findings"): 46.0, ("val", "findings"): 45.0, ("test", "findings"): 46.0,
    ("train", "impressions"): 12.0, ("val", "impressions"): 14.0, ("test", "impressions"): 13.0,
}
#: "Average patient age: ~69–70 years across all splits."
MEAN_AGE_RANGE: tuple[float, float] = (69.0, 70.0)
TOP_ANATOMY = ("heart", "lung", "rib", "diaphragm", "hilum")
TOP_FINDINGS = ("interstitial_lung_disease", "cardiomegaly", "infiltrate", "consolidation", "rib_fracture",
                "aortic_calcification")
#: How the card says the data was collected (its own words, nothing added).
COLLECTION = ("PA chest radiographs paired with Vietnamese findings and impressions written by certified "
              "radiologists, collected under Institutional Review Board (IRB) approval.")
CITATION = """@article{nguyen2026vix,
  title={ViX-Ray: A Vietnamese Chest X-Ray Dataset for Vision-Language Models},
  author={Nguyen, Duy Vu Minh and Truong, Chinh Thanh and Tran, Phuc Hoang and Le, Hung Tuan and Dat, Nguyen Van-Thanh and Pham, Trung Hieu and Van Nguyen, Kiet},
  journal={arXiv preprint arXiv:2603.15513},
  year={2026}
}"""
