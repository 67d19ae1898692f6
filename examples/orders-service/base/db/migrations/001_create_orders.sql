CREATE TABLE orders (
  id                bigserial PRIMARY KEY,
  status            text        NOT NULL DEFAULT 'pending',
  legacy_status     smallint,
  total_cents       integer     NOT NULL CHECK (total_cents >= 0),
  currency          char(3)     NOT NULL,
  payment_intent_id text,
  created_at        timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX orders_created_at_idx ON orders (created_at);
