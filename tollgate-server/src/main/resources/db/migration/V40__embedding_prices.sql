-- OpenAI's embedding models, so that the gateway's /openai/v1/embeddings works out of the box: they
-- bill input only (list prices per million tokens as of 2025; no cached-input discount is published).
INSERT INTO model_price (provider, model, input_micros_per_million, cached_input_micros_per_million,
                         output_micros_per_million, effective_from)
SELECT provider, model, input_micros, input_micros, 0, TIMESTAMPTZ '2025-01-01 00:00:00+00'
  FROM (VALUES
        ('openai', 'text-embedding-3-small',  20000),
        ('openai', 'text-embedding-3-large', 130000),
        ('openai', 'text-embedding-ada-002', 100000)
       ) AS seed (provider, model, input_micros)
 WHERE NOT EXISTS (SELECT 1 FROM model_price p WHERE p.provider = seed.provider AND p.model = seed.model);
