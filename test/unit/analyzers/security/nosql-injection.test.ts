import { describe, expect, it } from 'vitest';
import { added } from './build-input.ts';
import { hits } from './run.ts';

describe('security/nosql-injection', () => {
  it('flags request objects and request values as Mongo filters, and built $where [+security/nosql-injection]', async () => {
    const file = added(
      'src/auth/login.ts',
      `
export async function login(req, res) {
  const user = await User.findOne({ email: req.body.email, password: req.body.password });
  const all = await Order.find(req.query);
  const hits = await db.collection('users').find({ $where: \`this.name == '\${req.body.name}'\` }).toArray();
  await users.deleteMany({ owner: req.params.id });
  const safe = await User.findOne({ email: String(req.body.email) });
  const found = items.find((item) => item.id === req.body.id);
  const rows = await prisma.user.findMany({ where: { email: req.body.email } });
}
`,
    );
    expect(await hits('nosql-injection', file)).toEqual([
      'src/auth/login.ts:2:high',
      'src/auth/login.ts:3:high',
      'src/auth/login.ts:4:high',
    ]);
  });

  it('flags pymongo filters taken from request.json', async () => {
    const file = added(
      'app/api.py',
      `
def login():
    user = db.users.find_one({"email": request.json["email"], "password": request.json["password"]})
    docs = db.users.find(request.get_json())
    ok = db.users.find_one({"email": str(request.json["email"])})
`,
    );
    expect(await hits('nosql-injection', file)).toEqual([
      'app/api.py:2:high',
      'app/api.py:3:high',
    ]);
  });
});
