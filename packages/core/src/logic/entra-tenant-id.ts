const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Two labels or more, as a verified domain has (contoso.onmicrosoft.com, contoso.com).
const domain = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

/**
 * Whether `id` names an Entra tenant a token can be asked of: its tenant id (a GUID) or one of its
 * domains, both of which Entra ID takes as the authority. Anything else is a short name, which
 * only an emulated tenant has.
 */
export function isEntraTenantId(id: string): boolean {
  return guid.test(id) || domain.test(id);
}
