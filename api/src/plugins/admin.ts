import fp from 'fastify-plugin';
import { getUserCredentials, insertUser } from '@urbanlink/db';
import { hashPassword, randomPassword } from './passwords.ts';

/**
 * Creates the `admin` user on first start, with URBANLINK_ADMIN_PASSWORD or, when that is unset, a random
 * password shown once through `config.announce`. An existing admin is left alone, so changing the variable
 * later does not reset the password.
 */
export default fp(
  async (app) => {
    if (await getUserCredentials(app.db, 'admin')) return;
    const given = app.config.adminPassword;
    const password = given ?? randomPassword();
    const created = await insertUser(app.db, { username: 'admin', name: 'Administrator', passwordHash: await hashPassword(password), role: 'admin' });
    // Another process sharing the database may have created it between the check and the insert.
    if (!created || given) return;
    app.config.announce(
      `Created user 'admin' with password: ${password}\n已创建管理员账号 admin，初始密码：${password}\n` +
        'It is shown only this once; change it after signing in. / 此密码只显示一次，登录后请修改。',
    );
  },
  { name: 'urbanlink-admin', dependencies: ['urbanlink-db'] },
);
