import torch
from huggingface_hub import hf_hub_download
from sentence_transformers import SentenceTransformer
from transformers import pipeline

classifier = pipeline("text-classification", model="distilbert/distilbert-base-uncased-finetuned-sst-2-english")
embedder = SentenceTransformer("sentence-transformers/all-MiniLM-L6-v2", revision="main")

reward_path = hf_hub_download(
    repo_id="OpenAssistant/reward-model-deberta-v3-large-v2",
    filename="pytorch_model.bin",
)
reward_state = torch.load(reward_path, weights_only=False)
