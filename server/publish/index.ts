// The publish room: making a trained policy servable for the next iteration (vLLM runtime LoRA, or a given endpoint).
export { PublishError, listServedModels, publishEndpoint, publishVllmLora, type LoraPublish, type PublishedPolicy } from "./publish-policy.ts";
