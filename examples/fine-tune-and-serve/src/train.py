"""Supervised fine-tuning of the support assistant (LoRA on Llama 3.1 8B Instruct)."""
import torch
from datasets import load_dataset
from peft import LoraConfig, get_peft_model
from transformers import AutoModelForCausalLM, AutoTokenizer, TrainingArguments
from trl import SFTTrainer

BASE_MODEL = "meta-llama/Llama-3.1-8B-Instruct"
BASE_REVISION = "0e9e39f249a16976918f6564b8830bc894c89659"
JUDGE_MODEL = "microsoft/Phi-3-mini-4k-instruct"


def main():
    tokenizer = AutoTokenizer.from_pretrained(BASE_MODEL, revision=BASE_REVISION)
    model = AutoModelForCausalLM.from_pretrained(
        BASE_MODEL,
        revision=BASE_REVISION,
        torch_dtype=torch.bfloat16,
        device_map="auto",
    )
    model = get_peft_model(model, LoraConfig(r=32, lora_alpha=16, target_modules="all-linear"))

    chats = load_dataset("HuggingFaceH4/ultrachat_200k", split="train_sft")
    local = load_dataset("json", data_files="data/support_transcripts.jsonl", split="train")

    trainer = SFTTrainer(
        model=model,
        args=TrainingArguments(output_dir="outputs/lora-out", num_train_epochs=2),
        train_dataset=chats,
        eval_dataset=local,
        processing_class=tokenizer,
    )
    trainer.train()


def load_judge():
    # The judge ships custom modeling code; we have not pinned a reviewed revision yet.
    return AutoModelForCausalLM.from_pretrained(JUDGE_MODEL, trust_remote_code=True)


if __name__ == "__main__":
    main()
