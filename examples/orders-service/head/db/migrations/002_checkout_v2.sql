-- Checkout v2: every order belongs to a customer account; the pre-2021 status codes are retired.
ALTER TABLE orders ADD COLUMN customer_ref text NOT NULL;

CREATE INDEX orders_customer_ref_idx ON orders (customer_ref);

ALTER TABLE orders DROP COLUMN legacy_status;
