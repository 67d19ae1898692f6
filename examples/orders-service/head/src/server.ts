import express from 'express';
import { config } from './config.ts';
import { ordersRouter } from './routes/orders.ts';

const app = express();
app.use(express.json({ limit: '100kb' }));
app.use('/orders', ordersRouter);
app.get('/healthz', (_req, res) => {
  res.json({ ok: true });
});

app.listen(config.port, () => {
  console.log(`orders-service listening on :${config.port}`);
});
