// Sign-in page: tenant, email, password.
import { h, mount } from '../dom.js';
import * as auth from '../auth.js';
import { errorMessage } from '../ui.js';
import { ApiError } from '../http.js';

export function render(ctx) {
  const last = JSON.parse(localStorage.getItem('avesa.lastLogin') || '{}'); // tenant + email only, never the password
  const tenant = h('input', { id: 'login-tenant', name: 'tenant', required: true, autocomplete: 'organization', value: last.tenant || '', autocapitalize: 'none', spellcheck: 'false' });
  const email = h('input', { id: 'login-email', name: 'email', type: 'email', required: true, autocomplete: 'username', value: last.email || '' });
  const password = h('input', { id: 'login-password', name: 'password', type: 'password', required: true, autocomplete: 'current-password' });
  const submit = h('button', { type: 'submit', class: 'btn primary wide', id: 'login-submit' }, 'Sign in');
  const message = h('div', { class: 'form-message', role: 'alert', 'aria-live': 'assertive' });
  const notice = sessionStorage.getItem('avesa.notice'); // set on sign-out or an expired session
  sessionStorage.removeItem('avesa.notice');

  const form = h('form', { class: 'login-form card', novalidate: true, 'aria-labelledby': 'login-title' },
    h('div', { class: 'brand-large', 'aria-hidden': 'true' }, h('span', { class: 'logo' }, 'A'), 'Avesa'),
    h('h1', { id: 'login-title', tabindex: '-1' }, 'Sign in'),
    h('p', { class: 'subtitle' }, 'Analytics for your service desk data.'),
    notice ? h('p', { class: 'notice', role: 'status' }, notice) : null,
    h('div', { class: 'field' }, h('label', { for: 'login-tenant' }, 'Tenant'), tenant),
    h('div', { class: 'field' }, h('label', { for: 'login-email' }, 'Email'), email),
    h('div', { class: 'field' }, h('label', { for: 'login-password' }, 'Password'), password),
    message, submit);

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    message.textContent = '';
    for (const [el, name] of [[tenant, 'tenant'], [email, 'email'], [password, 'password']]) {
      el.removeAttribute('aria-invalid');
      if (!el.value.trim()) { el.setAttribute('aria-invalid', 'true'); message.textContent = `Enter your ${name}.`; el.focus(); return; }
    }
    submit.disabled = true; submit.textContent = 'Signing in…';
    try {
      await auth.login(tenant.value.trim(), email.value.trim(), password.value);
      localStorage.setItem('avesa.lastLogin', JSON.stringify({ tenant: tenant.value.trim(), email: email.value.trim() }));
      const next = sessionStorage.getItem('avesa.afterLogin');
      sessionStorage.removeItem('avesa.afterLogin');
      ctx.navigate(next && !next.startsWith('#/login') ? next : '#/overview');
    } catch (err) {
      password.value = '';
      message.textContent = err instanceof ApiError && (err.status === 401 || err.status === 400)
        ? 'Tenant, email or password is incorrect.' : errorMessage(err);
      password.focus();
    } finally {
      submit.disabled = false; submit.textContent = 'Sign in';
    }
  });

  mount(ctx.main, h('div', { class: 'login-page' }, form));
  (last.tenant && last.email ? password : tenant).focus();
}
