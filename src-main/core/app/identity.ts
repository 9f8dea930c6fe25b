/** Fixed identity of the product. The appId is part of policy paths (macOS managed preferences): never change it. */
import pkg from '../../../package.json';

export const APP_ID = 'studio.longhaul.client';
export const PRODUCT_NAME = 'Longhaul';
export const APP_VERSION: string = pkg.version;
