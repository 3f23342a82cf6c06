// The generator lives with the rotation Lambda, which needs it too.
export { generateKonnectKey, KONNECT_KEY_LENGTH } from '../../functions/konnect/rotation-keys';
