import { describe, expect, it } from 'vitest';
import { createSecretsAnalyzer } from '../../../../src/analyzers/secrets/index.ts';
import { added } from './build-input.ts';
import { analyzerInput } from './build-input.ts';
import { analyze, summary } from './run.ts';

/** Ordinary backend code that touches every rule's vocabulary without doing anything wrong. */
const FILES = [
  added(
    'src/orders/service.ts',
    `
import crypto from 'node:crypto';
import { execFile } from 'node:child_process';
import jwt from 'jsonwebtoken';
import bcrypt from 'bcrypt';

const ORDERS = 'orders';

export async function list(req, res, db, logger) {
  const rows = await db.query(\`SELECT * FROM \${ORDERS} WHERE customer_id = $1 ORDER BY created_at DESC\`, [req.user.id]);
  const byIds = await db.query(\`SELECT * FROM items WHERE id IN (\${req.body.ids.map((_, i) => '$' + (i + 1)).join(', ')})\`, req.body.ids);
  logger.info({ count: rows.length, hasToken: Boolean(req.headers.authorization), tokenType: 'bearer' }, 'listed orders');
  logger.info(\`password reset requested for \${req.user.email}\`);
  const etag = crypto.createHash('sha1').update(JSON.stringify(rows)).digest('hex');
  const requestId = crypto.randomUUID();
  const jitterMs = Math.floor(Math.random() * 250);
  const token = jwt.sign({ sub: req.user.id }, process.env.JWT_SECRET, { expiresIn: '15m', algorithm: 'HS256' });
  const claims = jwt.verify(token, process.env.JWT_SECRET, { algorithms: ['HS256'] });
  const hash = await bcrypt.hash(req.body.password, 12);
  await new Promise((resolve) => execFile('convert', [req.body.file, 'out.png'], resolve));
  res.setHeader('Access-Control-Allow-Origin', 'https://app.example.com');
  return res.json({ rows, byIds, etag, requestId, jitterMs, claims, hash });
}
`,
  ),
  added(
    'app/orders/views.py',
    `
import hashlib, logging, secrets, subprocess, requests

logger = logging.getLogger(__name__)

def list_orders(request, cursor):
    cursor.execute("SELECT * FROM orders WHERE customer_id = %s", (request.user.id,))
    checksum = hashlib.sha1(request.body).hexdigest()
    reset_token = secrets.token_urlsafe(32)
    subprocess.run(["convert", request.FILES["f"].name, "out.png"], check=True)
    requests.get("https://api.example.com", timeout=5)
    logger.info("listed orders for %s", request.user.id)
    print("token issued", len(reset_token) > 0)
    return checksum
`,
  ),
  added(
    'internal/orders/handler.go',
    `
package orders

import (
	"crypto/rand"
	"log"
)

func (h *Handler) List(ctx context.Context, customerID string) error {
	rows, err := h.db.QueryContext(ctx, "SELECT * FROM orders WHERE customer_id = $1", customerID)
	cmd := exec.CommandContext(ctx, "convert", customerID, "out.png")
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	log.Printf("listed orders for %s", customerID)
	buf := make([]byte, 32)
	_, _ = rand.Read(buf)
	return err
}
`,
  ),
  added(
    'src/main/java/app/OrderDao.java',
    `
class OrderDao {
  List<Order> list(long customerId) throws Exception {
    PreparedStatement ps = conn.prepareStatement("SELECT * FROM orders WHERE customer_id = ?");
    ps.setLong(1, customerId);
    log.info("listed orders for {}", customerId);
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    return null;
  }
}
`,
  ),
];

describe('clean code', () => {
  it('raises nothing on ordinary, safe backend code [-security/sql-injection -security/nosql-injection -security/command-injection -security/jwt-none-algorithm -security/jwt-decode-without-verify -security/jwt-hardcoded-secret -security/jwt-without-expiry -security/weak-password-hash -security/bcrypt-low-cost -security/insecure-random -security/tls-verification-disabled -security/cors-credentials-any-origin -security/secret-in-log -security/hardcoded-secret]', async () => {
    const output = await analyze(...FILES);
    expect(output.notes).toEqual([]);
    expect(summary(output.findings)).toEqual([]);
    const secrets = await createSecretsAnalyzer().analyze(analyzerInput(FILES));
    expect(secrets).toEqual({ findings: [], notes: [] });
  });
});
