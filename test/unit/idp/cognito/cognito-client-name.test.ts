import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { clientNameFor, isNameOfCreation, newCreationId } from '../../../../functions/idp/cognito/cognito-client-name';

// API_CreateUserPoolClient: ClientName.
const CLIENT_NAME = /^[\w\s+=,.@-]{1,128}$/;

describe('Cognito client names', () => {
  it('ends with the marker and the creation id', () => {
    expect(clientNameFor('Payments App', 'a1b2c3d4')).toBe('Payments App dcr-bridge.a1b2c3d4');
    expect(isNameOfCreation('Payments App dcr-bridge.a1b2c3d4', 'a1b2c3d4')).toBe(true);
    expect(isNameOfCreation('Payments App dcr-bridge.a1b2c3d4', 'ffffffff')).toBe(false);
    expect(isNameOfCreation(undefined, 'a1b2c3d4')).toBe(false);
  });

  it('replaces characters Cognito refuses and cuts to 128', () => {
    expect(clientNameFor('Zahlungs-App (Test) / ü', '00000000')).toBe('Zahlungs-App -Test- - - dcr-bridge.00000000');
    expect(clientNameFor('x'.repeat(300), '00000000')).toHaveLength(128);
    expect(clientNameFor('()', '00000000')).toBe('-- dcr-bridge.00000000');
    expect(clientNameFor('   ', '00000000')).toBe('konnect-app dcr-bridge.00000000');
  });

  it('always makes a name Cognito accepts', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (name) => {
        const creationId = newCreationId();
        const cognitoName = clientNameFor(name, creationId);
        expect(cognitoName).toMatch(CLIENT_NAME);
        expect(isNameOfCreation(cognitoName, creationId)).toBe(true);
      }),
    );
  });

  it('draws 8 hex characters per creation', () => {
    expect(newCreationId()).toMatch(/^[0-9a-f]{8}$/);
    expect(newCreationId()).not.toBe(newCreationId());
  });
});
